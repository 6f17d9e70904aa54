// Customers from a business unit's ERP (the master of customers for that unit): credit limit,
// payment terms and credit hold, applied in erp-finance's own tables. The ERP's customer number
// finds our customer by its external ref under the ERP's system; a number we do not know makes a
// new customer (id CUST-<business unit>-<number>). Each import also keeps the CUSTOMER
// cross-reference <system>: <number> -> our id, so orders keyed into the ERP find the customer.
import { Prisma } from "../../../platform/db/generated/client.js";
import type { Db } from "../../../platform/db/client.js";
import { appendEvents, type Tx } from "../../../platform/events/event-log.js";
import { upsertCrossReferences } from "../../../platform/mapping/index.js";
import type { ErpCustomer } from "../sources/erp/connector.js";
import { CUSTOMER_CHANGED, type CustomerChangedPayload } from "../events.js";

export interface CustomerImportResult {
  created: string[];
  updated: string[];
  unchanged: number;
  warnings: string[];
}

/** A customer id for an ERP number we have not seen: deterministic, so two imports racing agree. */
export const customerIdFor = (businessUnitId: string, number: string) =>
  `CUST-${businessUnitId.replace(/^BU-/, "")}-${number}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);

export async function applyErpCustomers(
  tx: Tx,
  unit: { id: string; currency: string },
  system: string,
  customers: ErpCustomer[],
  correlationId: string,
): Promise<CustomerImportResult> {
  const result: CustomerImportResult = { created: [], updated: [], unchanged: 0, warnings: [] };
  if (!customers.length) return result;
  // Our customers that carry these numbers under the ERP's system (JSON containment on externalRefs).
  const numbers = customers.map((c) => c.number);
  const existing = await tx.$queryRaw<
    {
      id: string;
      businessUnitId: string;
      number: string;
      name: string;
      creditLimit: Prisma.Decimal;
      currency: string;
      paymentTerms: string;
      termsDays: number;
      creditHold: boolean;
      gln: string | null;
    }[]
  >`
    SELECT c."id", c."businessUnitId", r->>'value' AS "number", c."name", c."creditLimit", c."currency", c."paymentTerms", c."termsDays", c."creditHold", c."gln"
    FROM "finance"."Customer" c, jsonb_array_elements(c."externalRefs") r
    WHERE r->>'system' = ${system} AND r->>'value' = ANY(${numbers})
    ORDER BY c."id" FOR UPDATE OF c`;
  const byNumber = new Map(existing.map((e) => [e.number, e]));
  const events = [];
  for (const c of customers) {
    const currency = c.currency ?? unit.currency;
    const have = byNumber.get(c.number);
    const values = {
      name: c.name,
      creditLimit: new Prisma.Decimal(c.creditLimit),
      currency,
      paymentTerms: c.paymentTerms,
      termsDays: c.termsDays,
      creditHold: c.creditHold,
      gln: c.gln,
    };
    let id: string;
    let created = false;
    if (have) {
      id = have.id;
      if (have.businessUnitId !== unit.id)
        result.warnings.push(`${c.where}: customer ${c.number} is ${have.id} of ${have.businessUnitId}, not of ${unit.id}; updated all the same`);
      if (have.currency !== currency) result.warnings.push(`${c.where}: customer ${c.number} changes currency from ${have.currency} to ${currency}`);
      const same =
        have.name === values.name &&
        new Prisma.Decimal(have.creditLimit).equals(values.creditLimit) &&
        have.currency === currency &&
        have.paymentTerms === values.paymentTerms &&
        have.termsDays === values.termsDays &&
        have.creditHold === values.creditHold &&
        (c.gln === null || have.gln === c.gln);
      if (same) {
        result.unchanged++;
        continue;
      }
      await tx.customer.update({ where: { id }, data: { ...values, gln: c.gln ?? have.gln } });
      result.updated.push(id);
    } else {
      id = customerIdFor(unit.id, c.number);
      created = !(await tx.customer.findUnique({ where: { id }, select: { id: true } }));
      await tx.customer.upsert({
        where: { id },
        create: { id, businessUnitId: unit.id, ...values, externalRefs: [{ system, value: c.number }] },
        update: values,
      });
      (created ? result.created : result.updated).push(id);
    }
    const payload: CustomerChangedPayload = {
      customerId: id,
      businessUnitId: unit.id,
      erpNumber: c.number,
      created,
      creditLimit: values.creditLimit.toFixed(2),
      paymentTerms: c.paymentTerms,
      termsDays: c.termsDays,
      creditHold: c.creditHold,
    };
    events.push({ type: CUSTOMER_CHANGED, aggregateType: "Customer", aggregateId: id, aggregateVersion: 1, occurredAt: new Date(), payload: { ...payload } });
  }
  // Every imported number gets its cross-reference, changed or not (customers loaded before imports have none).
  const ids = customers.map((c) => ({
    kind: "CUSTOMER" as const,
    system,
    externalValue: c.number,
    canonicalId: byNumber.get(c.number)?.id ?? customerIdFor(unit.id, c.number),
  }));
  await upsertCrossReferences(tx as unknown as Db, ids);
  await appendEvents(tx, correlationId, events);
  return result;
}
