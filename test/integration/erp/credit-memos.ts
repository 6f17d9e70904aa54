// Credit memos: created against an invoice (never more than invoiced minus credited), idempotent
// by the caller's key, posted to the business unit's ERP like an invoice.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { parsePostingBatch } from "../../../subgraphs/erp-finance/sources/erp/file-exchange/formats.js";
import { gql, gqlOk } from "../../helpers/graphql.js";
import { waitFor } from "../../helpers/wait.js";
import { CLOUD_BU, FILE_BU, createInvoice, untilPosting, type ErpContext } from "./context.js";

const CREATE = `mutation($input: CreditMemoInput!) { createCreditMemo(input: $input) { created creditMemo {
  id creditMemoNumber status postingStatus erpDocumentNumber invoice { id } customer { id } businessUnit { id } reason sourceReference
  subtotal taxRate taxTotal total lines { lineNumber invoiceLineNumber sku quantity unit unitPrice amount } } } }`;

export function creditMemoTests(ctx: ErpContext) {
  it("a credit memo against a posted invoice is posted to the cloud ERP as a salesCreditMemo, once; over-crediting and key reuse are refused", async () => {
    const { id: invoiceId } = await createInvoice(ctx, "CUST-CLOUD-C1000", CLOUD_BU);
    await untilPosting(ctx, invoiceId, ["POSTED"]);
    const input = {
      idempotencyKey: "RETURN:RMA-1",
      invoiceId,
      reason: "Returned: damaged in transit",
      sourceReference: "RMA-1",
      lines: [{ sku: "ERP-BOLT", quantity: 4 }],
    };
    const first = (await gqlOk(ctx.url, CREATE, { input })).createCreditMemo;
    expect(first).toMatchObject({
      created: true,
      creditMemo: {
        status: "OPEN",
        postingStatus: "PENDING",
        invoice: { id: invoiceId },
        customer: { id: "CUST-CLOUD-C1000" },
        businessUnit: { id: CLOUD_BU },
        subtotal: "10.00",
        taxRate: "0.0825",
        taxTotal: "0.83",
        total: "10.83",
        lines: [{ lineNumber: 1, invoiceLineNumber: 1, sku: "ERP-BOLT", quantity: 4, unit: "EA", unitPrice: "2.5", amount: "10.00" }],
      },
    });
    const memo = first.creditMemo;
    // The same request again (a redelivered return event): the first memo.
    expect((await gqlOk(ctx.url, CREATE, { input })).createCreditMemo).toMatchObject({ created: false, creditMemo: { id: memo.id } });
    const reused = await gql(ctx.url, CREATE, { input: { ...input, lines: [{ sku: "ERP-BOLT", quantity: 5 }] } });
    expect(reused.errors?.[0].extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const over = await gql(ctx.url, CREATE, { input: { ...input, idempotencyKey: "RETURN:RMA-2", lines: [{ sku: "ERP-BOLT", quantity: 7 }] } });
    expect(over.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_ARGUMENT" } });
    expect(over.errors?.[0].message).toContain("7 is more than invoice line 1 has left to credit: 10 invoiced, 4 credited before");
    expect(await ctx.db.creditMemo.count({ where: { invoiceId } })).toBe(1);

    const posted = await waitFor(async () => {
      const m = (
        await gqlOk(ctx.url, `query($id: ID!) { creditMemo(id: $id) { postingStatus erpDocumentNumber posting { state history { action } } } }`, {
          id: memo.id,
        })
      ).creditMemo;
      return m.postingStatus === "POSTED" ? m : null;
    }, "the credit memo posted");
    const docs = ctx.bc.byExternalNumber("salesCreditMemos", memo.creditMemoNumber);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ status: "Open", number: posted.erpDocumentNumber, totalAmountIncludingTax: 10.83, customerNumber: "C1000" });
    expect(posted.posting.history.map((h: { action: string }) => h.action)).toEqual(["SCHEDULED", "POSTED"]);
    const invoice = (await gqlOk(ctx.url, `query($id: ID!) { invoice(id: $id) { creditMemos { id } } }`, { id: invoiceId })).invoice;
    expect(invoice.creditMemos).toEqual([{ id: memo.id }]);
  });

  it("a credit memo of the file ERP's unit is exported in a CSV batch with its invoice, acknowledged, and POSTED with the ERP's number", async () => {
    const { id: invoiceId, invoiceNumber } = await createInvoice(ctx, "CUST-FILE-100200", FILE_BU);
    await untilPosting(ctx, invoiceId, ["POSTED"]);
    const created = (
      await gqlOk(ctx.url, CREATE, {
        input: {
          idempotencyKey: "RETURN:RMA-FILE-1",
          invoiceId,
          reason: "Returned: surplus",
          sourceReference: "RMA-FILE-1",
          lines: [{ sku: "ERP-NUT", quantity: 5 }],
        },
      })
    ).createCreditMemo;
    // 5 x 0.40 = 2.00; tax 8.25 % = 0.165 -> 0.17; total 2.17.
    expect(created.creditMemo).toMatchObject({
      businessUnit: { id: FILE_BU },
      subtotal: "2.00",
      taxTotal: "0.17",
      total: "2.17",
      lines: [{ invoiceLineNumber: 2, sku: "ERP-NUT", quantity: 5 }],
    });
    const memo = created.creditMemo;
    const posted = await waitFor(async () => {
      const m = (
        await gqlOk(ctx.url, `query($id: ID!) { creditMemo(id: $id) { postingStatus erpDocumentNumber posting { state batchFile history { action } } } }`, {
          id: memo.id,
        })
      ).creditMemo;
      return m.postingStatus === "POSTED" ? m : null;
    }, "the credit memo posted to the file ERP");
    expect(posted.posting.history.map((h: { action: string }) => h.action)).toEqual(["SCHEDULED", "EXPORTED", "ACKNOWLEDGED"]);
    expect(posted.erpDocumentNumber).toBe(ctx.files.posted.get(`CREDIT_MEMO:${memo.creditMemoNumber}`));
    // The batch as the ERP read it: the memo's item row and its tax row, against the invoice, adding up to its total.
    expect(posted.posting.batchFile).toMatch(/^outbound\/.+\.csv$/);
    const batch = parsePostingBatch(fs.readFileSync(path.join(ctx.files.processedDir, path.basename(posted.posting.batchFile))));
    const doc = batch.find((d) => d.documentNumber === memo.creditMemoNumber)!;
    expect(doc).toMatchObject({ documentType: "CREDIT_MEMO", customerNumber: "100200", total: "2.17" });
    expect(doc.rows.map((r) => [r.lineType, r.sku, r.quantity, r.unitPrice, r.amount, r.appliesToInvoice])).toEqual([
      ["ITEM", "ERP-NUT", "5", "0.4000", "2.00", invoiceNumber],
      ["TAX", "", "1", "0.17", "0.17", invoiceNumber],
    ]);
  });
}
