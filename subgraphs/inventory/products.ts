// The item master's write side: upsertProducts. GTINs are normalised to GTIN-14 (a wrong check
// digit is a warning, not a rejection); conversions, when given, replace the product's set. Each
// created or changed product appends ProductChanged, which keeps orders' catalog in step.
import { Prisma, type Product } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { appendEvents, type NewEvent } from "../../platform/events/event-log.js";

/** Namespace of the per-SKU transaction locks of product imports (two-key advisory locks). */
const PRODUCT_LOCK_NAMESPACE = 7_340_101;
import { Gs1FormatError, normalizeGtin } from "../../platform/mapping/index.js";
import { PRODUCT_CHANGED, type ProductChangedPayload } from "./events.js";

export interface ProductInput {
  sku: string;
  description: string;
  baseUnit: string;
  gtin?: string | null;
  brand?: string | null;
  category?: string | null;
  conversions?: { unit: string; factor: number }[] | null;
}

const UNIT = /^[A-Z0-9]{1,8}$/;

function prepare(inputs: ProductInput[]) {
  if (!inputs.length) throw invalidArgument("products", "must hold at least one product");
  if (inputs.length > 1000) throw invalidArgument("products", `holds ${inputs.length} products; at most 1,000 per call`);
  const warnings: string[] = [];
  const seen = new Map<string, number>();
  const gtins = new Map<string, number>();
  const products = inputs.map((p, i) => {
    const at = `products[${i}]`;
    const sku = p.sku.trim();
    if (!/^[\w.\-/]{1,64}$/.test(sku)) throw invalidArgument(`${at}.sku`, `must be 1 to 64 letters, digits or . - _ /, got ${JSON.stringify(p.sku)}`);
    if (seen.has(sku)) throw invalidArgument(`${at}.sku`, `repeats products[${seen.get(sku)}] (${sku})`);
    seen.set(sku, i);
    const description = p.description.trim();
    if (!description || description.length > 500) throw invalidArgument(`${at}.description`, "must be 1 to 500 characters");
    const baseUnit = p.baseUnit.trim().toUpperCase();
    if (!UNIT.test(baseUnit)) throw invalidArgument(`${at}.baseUnit`, `must be a unit code of 1 to 8 letters or digits, got ${JSON.stringify(p.baseUnit)}`);
    let gtin: string | null = null;
    if (p.gtin?.trim()) {
      try {
        const n = normalizeGtin(p.gtin);
        gtin = n.value;
        warnings.push(...n.warnings.map((w) => `${at}.gtin: ${w}`));
      } catch (err) {
        if (err instanceof Gs1FormatError) throw invalidArgument(`${at}.gtin`, err.message.replace(/^GTIN /, "value "));
        throw err;
      }
      if (gtins.has(gtin)) throw invalidArgument(`${at}.gtin`, `repeats the GTIN of products[${gtins.get(gtin)}] (${gtin})`);
      gtins.set(gtin, i);
    }
    const conversions = p.conversions?.map((c, j) => {
      const unit = c.unit.trim().toUpperCase();
      if (!UNIT.test(unit))
        throw invalidArgument(`${at}.conversions[${j}].unit`, `must be a unit code of 1 to 8 letters or digits, got ${JSON.stringify(c.unit)}`);
      if (unit === baseUnit) throw invalidArgument(`${at}.conversions[${j}].unit`, `is the base unit ${baseUnit}; list only other units`);
      if (!Number.isInteger(c.factor) || c.factor < 1 || c.factor > 1_000_000)
        throw invalidArgument(`${at}.conversions[${j}].factor`, `must be a whole number of base units from 1 to 1,000,000, got ${c.factor}`);
      return { unit, factor: c.factor };
    });
    if (conversions && new Set(conversions.map((c) => c.unit)).size !== conversions.length) throw invalidArgument(`${at}.conversions`, "names a unit twice");
    return { sku, description, baseUnit, gtin, brand: p.brand?.trim() || null, category: p.category?.trim() || null, conversions: conversions ?? null };
  });
  return { products, warnings };
}

export async function upsertProducts(
  db: Db,
  inputs: ProductInput[],
  correlationId: string,
): Promise<{ products: Product[]; created: number; updated: number; warnings: string[] }> {
  const { products, warnings } = prepare(inputs);
  return db.$transaction(
    async (tx) => {
      const skus = products.map((p) => p.sku);
      // Concurrent imports of one SKU take turns (the checks below read before they write, and a
      // new SKU has no row to lock yet): a transaction lock per SKU, taken in one order by all.
      await tx.$executeRaw`
        SELECT pg_advisory_xact_lock(${PRODUCT_LOCK_NAMESPACE}::integer, k.h) FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest(${skus}::text[]) AS s ORDER BY 1) AS k`;
      const existing = new Map((await tx.product.findMany({ where: { sku: { in: skus } }, include: { conversions: true } })).map((p) => [p.sku, p]));
      const gtinOwners = await tx.product.findMany({
        where: { gtin: { in: products.flatMap((p) => (p.gtin ? [p.gtin] : [])) } },
        select: { sku: true, gtin: true },
      });
      const stocked = new Set(
        (
          await tx.inventoryPosition.findMany({ where: { sku: { in: skus }, OR: [{ onHand: { not: 0 } }, { allocated: { not: 0 } }] }, select: { sku: true } })
        ).map((p) => p.sku),
      );
      let created = 0;
      let updated = 0;
      const out: Product[] = [];
      const events: NewEvent[] = [];
      for (const [i, p] of products.entries()) {
        const owner = gtinOwners.find((o) => o.gtin === p.gtin && o.sku !== p.sku);
        if (owner) throw invalidArgument(`products[${i}].gtin`, `${p.gtin} already belongs to ${owner.sku}`);
        const before = existing.get(p.sku);
        if (before && before.baseUnit !== p.baseUnit && stocked.has(p.sku)) {
          throw new DomainError(
            ErrorCode.INVALID_ARGUMENT,
            `products[${i}].baseUnit: ${p.sku} has stock counted in ${before.baseUnit}; its base unit cannot change to ${p.baseUnit}`,
            { argument: `products[${i}].baseUnit` },
          );
        }
        const conversions = p.conversions ?? before?.conversions.map((c) => ({ unit: c.unit, factor: c.factor })) ?? [];
        const same =
          before &&
          before.description === p.description &&
          before.baseUnit === p.baseUnit &&
          before.gtin === p.gtin &&
          before.brand === (p.brand ?? before.brand) &&
          before.category === (p.category ?? before.category) &&
          JSON.stringify([...before.conversions].map((c) => [c.unit, c.factor]).sort()) === JSON.stringify(conversions.map((c) => [c.unit, c.factor]).sort());
        if (same) {
          out.push(before);
          continue;
        }
        const data = {
          description: p.description,
          baseUnit: p.baseUnit,
          gtin: p.gtin,
          ...(p.brand && { brand: p.brand }),
          ...(p.category && { category: p.category }),
        };
        const row = before
          ? await tx.product.update({ where: { sku: p.sku }, data: { ...data, version: { increment: 1 } } })
          : await tx.product.create({ data: { sku: p.sku, ...data } });
        if (before) updated++;
        else created++;
        if (p.conversions) {
          await tx.unitConversion.deleteMany({ where: { sku: p.sku } });
          if (p.conversions.length) await tx.unitConversion.createMany({ data: p.conversions.map((c) => ({ sku: p.sku, ...c })) });
        }
        const payload: ProductChangedPayload = { sku: p.sku, description: p.description, baseUnit: p.baseUnit, gtin: p.gtin, conversions };
        events.push({
          type: PRODUCT_CHANGED,
          aggregateType: "Product",
          aggregateId: p.sku,
          aggregateVersion: row.version,
          occurredAt: new Date(),
          payload: payload as unknown as Prisma.InputJsonObject,
        });
        out.push(row);
      }
      await appendEvents(tx, correlationId, events); // one append for the import
      return { products: out, created, updated, warnings };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
