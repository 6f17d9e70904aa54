// Gives the Business Central stand-in the customers a business unit's ERP would already hold:
// our customers of the units whose CLOUD_REST connector uses the default cloud ERP, under their
// number in that ERP (the external ref under the connector's system), with their credit limit,
// terms and hold. `npm start` does this so the demo's invoices post over real HTTP from the start.
import type { Db } from "../../../platform/db/client.js";
import type { BusinessCentralStandIn } from "./business-central.js";

export async function seedStandInCustomers(db: Db, standIn: BusinessCentralStandIn): Promise<number> {
  const connectors = await db.erpConnector.findMany({ where: { kind: "CLOUD_REST", baseUrl: null, enabled: true } });
  let seeded = 0;
  for (const c of connectors) {
    const customers = await db.customer.findMany({ where: { businessUnitId: c.businessUnitId }, orderBy: { id: "asc" } });
    for (const cu of customers) {
      const number = (cu.externalRefs as { system?: string; value?: string }[]).find((r) => r.system === c.system && r.value)?.value;
      if (!number) continue;
      standIn.upsertCustomer({
        number,
        displayName: cu.name,
        creditLimit: Number(cu.creditLimit),
        paymentTerms: cu.paymentTerms,
        blocked: cu.creditHold ? "Invoice" : " ",
        currencyCode: cu.currency === "USD" ? "" : cu.currency,
      });
      seeded++;
    }
  }
  return seeded;
}
