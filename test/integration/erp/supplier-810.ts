// Inbound X12 810 from a supplier over POST /ingest/x12: the supplier found by a SUPPLIER
// cross-reference, SAC charges and allowances, units converted (item master, else the CTP pack
// count), and the total reconciled against TDS (a mismatch is a dead letter naming both figures).
import { expect, it } from "vitest";
import { gqlOk } from "../../helpers/graphql.js";
import { post } from "../../helpers/ingest.js";
import { x12 } from "../../helpers/x12.js";
import type { ErpContext } from "./context.js";

const invoice810 = (control: string, tds: string, sender: [string, string] = ["ZZ", "ACMESUPPLY"]) =>
  x12({
    sender,
    control,
    groups: [
      {
        control: control.slice(-4),
        functionalId: "IN",
        sets: [
          {
            id: "810",
            control: "0001",
            segments: [
              "BIG*20261120*SI-7788**PO-4411",
              "CUR*BY*USD",
              "N1*SE*ACME SUPPLY CO",
              "ITD*01*3*****30",
              "IT1*1*2*CS*30.00**BP*ERP-BOLT*VN*AC-B1",
              "IT1*2*3*BX*4.00**BP*ERP-NUT",
              "CTP**PE*4.00*6*EA",
              "SAC*C*D240***500**********Freight",
              "TXI*ST*3.00",
              `TDS*${tds}`,
              "SAC*A*C310***200**********Promotional allowance",
              "CTT*2",
            ],
          },
        ],
      },
    ],
  });

const postX12 = (ctx: ErpContext, body: string) => post(ctx.base, "/ingest/x12", body, { "content-type": "application/edi-x12" });

export function supplier810Tests(ctx: ErpContext) {
  it("an 810 from a supplier is recorded with its charges, allowance, tax and units in our base unit; a total that does not add up is a dead letter with both figures", async () => {
    await gqlOk(ctx.url, `mutation($s: [SupplierInput!]!) { upsertSuppliers(suppliers: $s) { id } }`, {
      s: [{ id: "SUP-ACME", name: "Acme Supply Co", currency: "USD", termsDays: 45 }],
    });

    // No SUPPLIER cross-reference for the sender yet: a MAP dead letter naming it.
    const unmapped = await postX12(ctx, invoice810("000000701", "7800"));
    expect(unmapped.status).toBe(422);
    expect(unmapped.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
    expect(unmapped.json.error).toContain("SUPPLIER");
    expect(unmapped.json.error).toContain("ZZ:ACMESUPPLY");

    await gqlOk(ctx.url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
      r: [{ kind: "SUPPLIER", system: "X12", externalValue: "ZZ:ACMESUPPLY", canonicalId: "SUP-ACME" }],
    });
    // 2 CS x 30.00 + 3 BX x 4.00 + freight 5.00 - allowance 2.00 + tax 3.00 = 78.00
    const ok = await postX12(ctx, invoice810("000000702", "7800"));
    expect(ok.status).toBe(200);
    expect(ok.json.state).toBe("PROCESSED");
    const recorded = (
      await gqlOk(
        ctx.url,
        `{ supplierInvoices(filter: { supplierId: "SUP-ACME" }) { nodes {
        supplier { id name } invoiceNumber invoiceDate purchaseOrderNumber currency subtotal chargesTotal allowancesTotal taxTotal total netDays dueDate sourceMessageId
        lines { lineNumber sku vendorPartNumber quantity unit unitPrice amount unitFactor baseUnit baseQuantity }
        charges { code description amount lineNumber } allowances { code description amount lineNumber } } } }`,
      )
    ).supplierInvoices.nodes;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      supplier: { id: "SUP-ACME", name: "Acme Supply Co" },
      invoiceNumber: "SI-7788",
      invoiceDate: "2026-11-20",
      purchaseOrderNumber: "PO-4411",
      currency: "USD",
      subtotal: "72.00",
      chargesTotal: "5.00",
      allowancesTotal: "2.00",
      taxTotal: "3.00",
      total: "78.00",
      netDays: 30,
      dueDate: "2026-12-20",
      sourceMessageId: ok.json.messageId,
      charges: [{ code: "D240", description: "Freight", amount: "5.00", lineNumber: 2 }],
      allowances: [{ code: "C310", description: "Promotional allowance", amount: "2.00", lineNumber: null }],
    });
    expect(recorded[0].lines).toEqual([
      {
        lineNumber: 1,
        sku: "ERP-BOLT",
        vendorPartNumber: "AC-B1",
        quantity: "2",
        unit: "CS",
        unitPrice: "30",
        amount: "60.00",
        unitFactor: 12,
        baseUnit: "EA",
        baseQuantity: "24",
      },
      {
        lineNumber: 2,
        sku: "ERP-NUT",
        vendorPartNumber: null,
        quantity: "3",
        unit: "BX",
        unitPrice: "4",
        amount: "12.00",
        unitFactor: 6,
        baseUnit: "EA",
        baseQuantity: "18",
      },
    ]);

    // The same invoice in a new interchange: found, not recorded twice.
    const resent = await postX12(ctx, invoice810("000000703", "7800"));
    expect(resent.json.state).toBe("PROCESSED");
    expect(await ctx.db.supplierInvoice.count({ where: { supplierId: "SUP-ACME" } })).toBe(1);

    // TDS says 79.00: a dead letter naming both figures, nothing recorded.
    const wrong = await postX12(ctx, invoice810("000000704", "7900").replace(/SI-7788/, "SI-7789"));
    expect(wrong.status).toBe(422);
    expect(wrong.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "VALIDATE" });
    expect(wrong.json.error).toContain("TDS01 total 79.00 does not match the invoice's content, which comes to 78.00");
    expect(wrong.json.error).toContain("difference 1.00");
    expect(await ctx.db.supplierInvoice.count({ where: { invoiceNumber: "SI-7789" } })).toBe(0);
  });
}
