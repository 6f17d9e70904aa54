// The demo data generator: deterministic, complete, and internally consistent (identifiers, cross
// references, quantities, status histories, invoice arithmetic).
import { describe, it, expect } from "vitest";
import { Prisma } from "../../platform/db/generated/client.js";
import { generateDemoData, DEMO_NOW } from "../../demo/generate.js";
import type { loadDemoData, isStoreEmpty } from "../../demo/load.js";
import { gs1CheckDigit, isValidSscc, statusFromMilestones } from "../../subgraphs/shipments/domain.js";
import { invoiceAmounts, dueDate } from "../../subgraphs/erp-finance/domain.js";
import { canTransition } from "../../subgraphs/orders/domain.js";

const D = Prisma.Decimal;
const data = generateDemoData();

const validGs1 = (code: string | null, length: number): boolean =>
  code !== null && new RegExp(`^\\d{${length}}$`).test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));

const groupBy = <T>(rows: T[], key: (row: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
};

// Keeps the loader's signature checked by `tsc` (the demo folder itself is outside tsconfig's include).
type LoaderSignatures = [typeof loadDemoData, typeof isStoreEmpty];
const _loaderTypes: LoaderSignatures | null = null;
void _loaderTypes;

describe("demo data: determinism", () => {
  it("gives deep-equal data for the same seed", () => {
    expect(generateDemoData(42)).toEqual(data);
    expect(generateDemoData(7)).toEqual(generateDemoData(7));
  });

  it("gives different data for a different seed", () => {
    const other = generateDemoData(7);
    expect(other).not.toEqual(data);
    expect(other.orders.map((o) => o.customerId)).not.toEqual(data.orders.map((o) => o.customerId));
  });
});

describe("demo data: counts and coverage", () => {
  it("has two business units on different ERPs", () => {
    expect(data.businessUnits).toHaveLength(2);
    expect(new Set(data.businessUnits.map((b) => b.erpSystem)).size).toBe(2);
  });

  it("has a region > site > warehouse > zone tree with three warehouses of 2-3 zones", () => {
    const byId = new Map(data.locations.map((l) => [l.id, l]));
    const warehouses = data.locations.filter((l) => l.kind === "WAREHOUSE");
    expect(warehouses).toHaveLength(3);
    expect(data.locations.filter((l) => l.kind === "REGION")).toHaveLength(2);
    const parentKind = { REGION: null, SITE: "REGION", WAREHOUSE: "SITE", ZONE: "WAREHOUSE" } as const;
    for (const l of data.locations) {
      if (l.parentId === null) expect(l.kind).toBe("REGION");
      else expect(byId.get(l.parentId)?.kind).toBe(parentKind[l.kind]);
    }
    for (const w of warehouses) {
      const zones = data.locations.filter((l) => l.parentId === w.id);
      expect(zones.length).toBeGreaterThanOrEqual(2);
      expect(zones.length).toBeLessThanOrEqual(3);
      expect(w.code).toMatch(/^WH-[A-Z]{3}$/);
      expect(w.id).toBe(`LOC-${w.code}`);
      for (const z of zones) expect(z.code.startsWith(`${w.code}-`)).toBe(true);
    }
    expect(new Set(data.locations.map((l) => l.code)).size).toBe(data.locations.length);
  });

  it("has at least 200 products, each with a case conversion", () => {
    expect(data.products.length).toBeGreaterThanOrEqual(200);
    const cs = new Map(data.unitConversions.filter((c) => c.unit === "CS").map((c) => [c.sku, c.factor]));
    for (const p of data.products) {
      expect([6, 12, 24]).toContain(cs.get(p.sku));
      expect(p.baseUnit).toBe("EA");
    }
    for (const pl of data.unitConversions.filter((c) => c.unit === "PL")) expect(pl.factor % cs.get(pl.sku)!).toBe(0);
    expect(new Set(data.products.map((p) => p.sku)).size).toBe(data.products.length);
  });

  it("has 50 customers over both business units and 1000 orders over every channel and status", () => {
    expect(data.customers).toHaveLength(50);
    expect(new Set(data.customers.map((c) => c.businessUnitId))).toEqual(new Set(data.businessUnits.map((b) => b.id)));
    expect(data.customers.some((c) => c.creditHold)).toBe(true);
    expect(data.orders).toHaveLength(1000);
    expect(new Set(data.orders.map((o) => o.channel))).toEqual(new Set(["EDI", "COMMERCE", "PORTAL", "B2B_API", "MARKETPLACE"]));
    expect(new Set(data.orders.map((o) => o.status))).toEqual(
      new Set(["ACCEPTED", "ALLOCATED", "RELEASED", "PARTIALLY_SHIPPED", "SHIPPED", "INVOICED", "CANCELLED", "CREDIT_HOLD"]),
    );
    expect(new Set(data.orders.map((o) => o.orderNumber)).size).toBe(1000);
  });

  it("has stock positions, some of them below zero available", () => {
    const available = data.inventoryPositions.map((p) => p.onHand - p.allocated - p.reserved - p.damaged - p.qualityHold - p.safetyStock);
    expect(available.filter((a) => a > 0).length / available.length).toBeGreaterThan(0.75);
    expect(available.some((a) => a < 0)).toBe(true);
    const perSku = groupBy(data.inventoryPositions, (p) => p.sku);
    expect(perSku.size).toBe(data.products.length);
    for (const positions of perSku.values()) {
      expect(positions.length).toBeGreaterThanOrEqual(2);
      expect(positions.length).toBeLessThanOrEqual(4);
    }
  });
});

describe("demo data: GS1 identifiers", () => {
  it("has valid GTIN-14s, unique", () => {
    for (const p of data.products) expect(validGs1(p.gtin, 14), p.gtin).toBe(true);
    expect(new Set(data.products.map((p) => p.gtin)).size).toBe(data.products.length);
  });

  it("has valid GLNs on every warehouse and on the customers that carry one", () => {
    for (const w of data.locations.filter((l) => l.kind === "WAREHOUSE")) expect(validGs1(w.gln, 13), String(w.gln)).toBe(true);
    const glns = data.customers.map((c) => c.gln).filter((g): g is string => g !== null);
    expect(glns.length).toBeGreaterThan(0);
    for (const g of glns) expect(validGs1(g, 13), g).toBe(true);
  });

  it("has valid, globally unique SSCC-18s", () => {
    for (const p of data.packages) {
      expect(isValidSscc(p.sscc), p.sscc).toBe(true);
      expect(p.sscc.slice(1, 8)).toBe("0614141");
    }
    expect(new Set(data.packages.map((p) => p.sscc)).size).toBe(data.packages.length);
  });
});

describe("demo data: referential integrity", () => {
  const skus = new Set(data.products.map((p) => p.sku));
  const locations = new Map(data.locations.map((l) => [l.id, l]));
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  const orders = new Map(data.orders.map((o) => [o.id, o]));
  const orderLines = new Map(data.orderLines.map((l) => [l.id, l]));
  const shipments = new Map(data.shipments.map((s) => [s.id, s]));
  const packages = new Map(data.packages.map((p) => [p.id, p]));
  const conversions = new Map(data.unitConversions.map((c) => [`${c.sku}/${c.unit}`, c.factor]));

  it("references existing products and locations from stock positions", () => {
    for (const p of data.inventoryPositions) {
      expect(skus.has(p.sku)).toBe(true);
      expect(["WAREHOUSE", "ZONE"]).toContain(locations.get(p.locationId)?.kind);
    }
    expect(new Set(data.inventoryPositions.map((p) => `${p.sku}@${p.locationId}`)).size).toBe(data.inventoryPositions.length);
  });

  it("gives every order an existing customer of the same business unit, and lines with existing skus", () => {
    for (const o of data.orders) expect(customers.get(o.customerId)?.businessUnitId).toBe(o.businessUnitId);
    for (const l of data.orderLines) {
      expect(skus.has(l.sku), l.sku).toBe(true);
      expect(orders.has(l.orderId)).toBe(true);
      expect(l.unitFactor).toBe(l.unit === "EA" ? 1 : conversions.get(`${l.sku}/${l.unit}`));
      expect(l.unitPrice).toMatch(/^\d+\.\d{2,4}$/);
    }
  });

  it("ties shipment lines to lines of the shipment's own order and packages of the same shipment", () => {
    for (const s of data.shipments) {
      expect(orders.has(s.orderId)).toBe(true);
      expect(locations.get(s.shipFromLocationId)?.kind).toBe("WAREHOUSE");
    }
    for (const sl of data.shipmentLines) {
      const shipment = shipments.get(sl.shipmentId)!;
      const line = orderLines.get(sl.orderLineId);
      expect(line?.orderId).toBe(shipment.orderId);
      expect(sl.sku).toBe(line?.sku);
      expect(sl.unit).toBe(line?.unit);
      expect(packages.get(sl.packageId!)?.shipmentId).toBe(sl.shipmentId);
    }
    const linesPerPackage = groupBy(data.shipmentLines, (l) => l.packageId!);
    for (const p of data.packages) expect(linesPerPackage.has(p.id)).toBe(true);
  });

  it("keeps line quantities consistent with shipments, invoices and the order status", () => {
    const shipped = new Map<string, number>();
    for (const sl of data.shipmentLines) shipped.set(sl.orderLineId, (shipped.get(sl.orderLineId) ?? 0) + sl.quantity);
    const invoiced = new Map<string, number>();
    for (const il of data.invoiceLines) invoiced.set(il.orderLineId!, (invoiced.get(il.orderLineId!) ?? 0) + il.quantity);
    const linesByOrder = groupBy(data.orderLines, (l) => l.orderId);
    for (const o of data.orders) {
      const lines = linesByOrder.get(o.id)!;
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(8);
      for (const l of lines) {
        expect(l.quantityShipped).toBe(shipped.get(l.id) ?? 0);
        expect(l.quantityInvoiced).toBe(invoiced.get(l.id) ?? 0);
        expect(l.quantityShipped).toBeLessThanOrEqual(l.quantityOrdered);
        expect(l.quantityInvoiced).toBeLessThanOrEqual(l.quantityShipped);
        if (["SHIPPED", "INVOICED"].includes(o.status)) expect(l.quantityShipped).toBe(l.quantityOrdered);
        if (o.status === "INVOICED") expect(l.quantityInvoiced).toBe(l.quantityOrdered);
        if (["ACCEPTED", "CREDIT_HOLD", "CANCELLED"].includes(o.status)) {
          expect(l.quantityAllocated + l.quantityShipped + l.quantityInvoiced).toBe(0);
        }
      }
      if (o.status === "PARTIALLY_SHIPPED") {
        expect(lines.some((l) => l.quantityShipped > 0)).toBe(true);
        expect(lines.some((l) => l.quantityShipped < l.quantityOrdered)).toBe(true);
      }
      const hasShipments = data.shipments.some((s) => s.orderId === o.id);
      expect(hasShipments).toBe(["PARTIALLY_SHIPPED", "SHIPPED", "INVOICED"].includes(o.status));
    }
  });

  it("records a valid status history per order, ending at the current status", () => {
    const history = groupBy(data.orderStatusChanges, (c) => c.orderId);
    for (const o of data.orders) {
      const changes = history.get(o.id)!;
      expect(changes[0]!.fromStatus).toBeNull();
      expect(["ACCEPTED", "CREDIT_HOLD"]).toContain(changes[0]!.toStatus);
      expect(changes[0]!.changedAt).toEqual(o.placedAt);
      expect(changes.at(-1)!.toStatus).toBe(o.status);
      expect(o.version).toBe(changes.length);
      for (let i = 1; i < changes.length; i++) {
        expect(changes[i]!.fromStatus).toBe(changes[i - 1]!.toStatus);
        expect(canTransition(changes[i]!.fromStatus!, changes[i]!.toStatus), `${o.id} ${changes[i]!.fromStatus}->${changes[i]!.toStatus}`).toBe(true);
        expect(changes[i]!.changedAt.getTime()).toBeGreaterThan(changes[i - 1]!.changedAt.getTime());
      }
      expect(changes.at(-1)!.changedAt.getTime()).toBeLessThanOrEqual(DEMO_NOW.getTime());
    }
  });

  it("has milestones in time order that agree with the shipment status", () => {
    const byShipment = groupBy(data.milestones, (m) => m.shipmentId);
    for (const s of data.shipments) {
      const milestones = byShipment.get(s.id)!;
      for (let i = 1; i < milestones.length; i++) expect(milestones[i]!.occurredAt.getTime()).toBeGreaterThan(milestones[i - 1]!.occurredAt.getTime());
      expect(statusFromMilestones(milestones)).toBe(s.status);
      expect(s.deliveredAt !== null).toBe(s.status === "DELIVERED");
      expect(milestones.at(-1)!.occurredAt.getTime()).toBeLessThanOrEqual(DEMO_NOW.getTime());
    }
  });

  it("keeps external references unique per system and per order", () => {
    expect(new Set(data.orderExternalRefs.map((r) => `${r.system}|${r.value}`)).size).toBe(data.orderExternalRefs.length);
    expect(new Set(data.orderExternalRefs.map((r) => `${r.orderId}|${r.system}`)).size).toBe(data.orderExternalRefs.length);
    const edi = data.orders.filter((o) => o.channel === "EDI");
    for (const o of edi) expect(data.orderExternalRefs).toContainEqual({ orderId: o.id, system: "X12_850", value: o.customerPo });
  });

  it("gives commerce orders Shopify ids as 19-digit strings above 2^53", () => {
    const commerce = new Set(data.orders.filter((o) => o.channel === "COMMERCE").map((o) => o.id));
    const shopify = data.orderExternalRefs.filter((r) => r.system === "SHOPIFY");
    expect(new Set(shopify.map((r) => r.orderId))).toEqual(commerce);
    for (const r of shopify) {
      expect(r.value).toMatch(/^\d{19}$/);
      expect(BigInt(r.value) > BigInt(Number.MAX_SAFE_INTEGER) + 1n).toBe(true);
    }
  });
});

describe("demo data: invoices", () => {
  const shipments = new Map(data.shipments.map((s) => [s.id, s]));
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  const orders = new Map(data.orders.map((o) => [o.id, o]));
  const lines = groupBy(data.invoiceLines, (l) => l.invoiceId);
  const adjustments = groupBy(data.invoiceAdjustments, (a) => a.invoiceId);

  it("adds up exactly: total = subtotal + charges - allowances + tax, tax rounded half-up", () => {
    expect(data.invoices.length).toBeGreaterThan(0);
    for (const inv of data.invoices) {
      const invLines = lines.get(inv.id)!;
      const invAdjustments = adjustments.get(inv.id) ?? [];
      for (const l of invLines) expect(new D(l.amount).equals(new D(l.unitPrice).mul(l.quantity).toDecimalPlaces(2, D.ROUND_HALF_UP))).toBe(true);
      const subtotal = invLines.reduce((s, l) => s.add(l.amount), new D(0));
      const charges = invAdjustments.filter((a) => a.kind === "CHARGE").reduce((s, a) => s.add(a.amount), new D(0));
      const allowances = invAdjustments.filter((a) => a.kind === "ALLOWANCE").reduce((s, a) => s.add(a.amount), new D(0));
      const tax = subtotal.add(charges).sub(allowances).mul(inv.taxRate).toDecimalPlaces(2, D.ROUND_HALF_UP);
      expect(new D(inv.subtotal).equals(subtotal), inv.id).toBe(true);
      expect(new D(inv.chargesTotal).equals(charges)).toBe(true);
      expect(new D(inv.allowancesTotal).equals(allowances)).toBe(true);
      expect(new D(inv.taxTotal).equals(tax)).toBe(true);
      expect(new D(inv.total).equals(new D(inv.subtotal).add(inv.chargesTotal).sub(inv.allowancesTotal).add(inv.taxTotal)), inv.id).toBe(true);
      // …and agrees with the finance subgraph's own rule.
      const rule = invoiceAmounts(invLines, invAdjustments, inv.taxRate);
      expect(rule.total.equals(inv.total)).toBe(true);
      expect(new D(inv.amountPaid).equals(inv.status === "PAID" ? inv.total : 0)).toBe(true);
    }
  });

  it("dates each invoice on its shipment's ship date and falls due after the customer's terms", () => {
    for (const inv of data.invoices) {
      const customer = customers.get(inv.customerId)!;
      const shipment = shipments.get(inv.shipmentId!)!;
      expect(shipment.orderId).toBe(inv.orderId);
      expect(orders.get(inv.orderId)!.customerId).toBe(inv.customerId);
      expect(customer.businessUnitId).toBe(inv.businessUnitId);
      expect(inv.invoiceDate.toISOString().slice(0, 10)).toBe(shipment.shippedAt!.toISOString().slice(0, 10));
      expect(inv.dueDate).toEqual(dueDate(inv.invoiceDate, customer.termsDays));
      expect(inv.dueDate.getTime() - inv.invoiceDate.getTime()).toBe(customer.termsDays * 86_400_000);
    }
  });

  it("posts most invoices to the ERP with a document number, and only posted ones carry one", () => {
    const posted = data.invoices.filter((i) => i.postingStatus === "POSTED");
    expect(posted.length / data.invoices.length).toBeGreaterThan(0.8);
    expect(data.invoices.some((i) => i.postingStatus !== "POSTED")).toBe(true);
    for (const inv of data.invoices) {
      expect(inv.erpDocumentNumber !== null).toBe(inv.postingStatus === "POSTED");
      expect(inv.postedAt !== null).toBe(inv.postingStatus === "POSTED");
    }
    expect(new Set(posted.map((i) => i.erpDocumentNumber)).size).toBe(posted.length);
    expect(data.invoiceAdjustments.some((a) => a.code === "FREIGHT" && a.kind === "CHARGE")).toBe(true);
    expect(data.invoiceAdjustments.some((a) => a.code === "PROMO" && a.kind === "ALLOWANCE")).toBe(true);
  });

  it("invoices every shipment of an INVOICED order once, and nothing of unshipped orders", () => {
    const invoicedShipments = data.invoices.map((i) => i.shipmentId);
    expect(new Set(invoicedShipments).size).toBe(invoicedShipments.length);
    for (const s of data.shipments) {
      if (orders.get(s.orderId)!.status === "INVOICED") expect(invoicedShipments).toContain(s.id);
    }
    for (const inv of data.invoices) expect(["SHIPPED", "INVOICED"]).toContain(orders.get(inv.orderId)!.status);
  });
});
