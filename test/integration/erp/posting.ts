// Posting invoices to each kind of ERP, and what happens when the ERP is down, slow or refuses:
// retries with backoff, exceptions with the ERP's reason, retry on request, and never a second
// document in the ERP (the stand-ins check the idempotency key and are counted here).
import { expect, it } from "vitest";
import { gql, gqlOk } from "../../helpers/graphql.js";
import { BcClient } from "../../../subgraphs/erp-finance/sources/erp/business-central/client.js";
import { CLOUD_BU, FILE_BU, createInvoice, untilPosting, type ErpContext } from "./context.js";

const actions = (i: { posting: { history: { action: string }[] } }) => i.posting.history.map((h) => h.action);
const EXCEPTION = "id domain source kind state reason correlationId raisedAt resolvedAt resolutionNote";
const createdInErp = (ctx: ErpContext) => ctx.bc.count("POST", /^salesInvoices$/);

export function postingTests(ctx: ErpContext) {
  it("an invoice nobody scheduled is posted to the cloud ERP over HTTP: lines, charges, allowance and tax, the ERP's total equal to ours", async () => {
    const { id, invoiceNumber } = await createInvoice(ctx, "CUST-CLOUD-C1000", CLOUD_BU, { withAdjustments: true });
    const i = await untilPosting(ctx, id, ["POSTED"]);
    expect(i).toMatchObject({ postingStatus: "POSTED", total: "46.89", postingAttempts: 1, postingError: null, posting: { state: "POSTED", corrections: 0 } });
    expect(actions(i)).toEqual(["SCHEDULED", "POSTED"]);
    const docs = ctx.bc.byExternalNumber("salesInvoices", invoiceNumber);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ status: "Open", customerNumber: "C1000", number: i.erpDocumentNumber, totalAmountIncludingTax: 46.89 });
    expect(i.erpDocumentNumber).toMatch(/^PS-INV\d+$/);
    const lines = ctx.bc.lines.get(docs[0].id)!;
    expect(lines.map((l) => [l.lineType, l.lineObjectNumber, l.quantity, l.unitPrice])).toEqual([
      ["Item", "ERP-BOLT", 10, 2.5],
      ["Item", "ERP-NUT", 25, 0.4],
      ["Account", "6810", 1, 12.5],
      ["Account", "2310", 1, 2.89],
    ]);
    expect(await ctx.db.eventLog.count({ where: { type: "ErpDocumentPosted", aggregateId: id } })).toBe(1);
  });

  it("an invoice of the file ERP's unit is exported in a batch file, acknowledged, and POSTED with the ERP's number", async () => {
    const { id, invoiceNumber } = await createInvoice(ctx, "CUST-FILE-100200", FILE_BU);
    const i = await untilPosting(ctx, id, ["POSTED"]);
    expect(actions(i)).toEqual(["SCHEDULED", "EXPORTED", "ACKNOWLEDGED"]);
    expect(i.posting.batchFile).toMatch(/^outbound\/invoices_.+\.csv$/);
    expect(i.erpDocumentNumber).toBe(ctx.files.posted.get(`INVOICE:${invoiceNumber}`));
    expect(i.erpDocumentNumber).toMatch(/^9\d{9}$/);
  });

  it("ERP down (503) then back: retried with backoff, posted exactly once", async () => {
    const before = createdInErp(ctx);
    ctx.bc.fail({ path: "salesInvoices", status: 503, message: "Service temporarily unavailable", times: 2 });
    const { id, invoiceNumber } = await createInvoice(ctx, "CUST-CLOUD-C1000", CLOUD_BU);
    const i = await untilPosting(ctx, id, ["POSTED"]);
    expect(actions(i)).toEqual(["SCHEDULED", "UNAVAILABLE", "UNAVAILABLE", "POSTED"]);
    expect(i.posting.history[1]).toMatchObject({ httpStatus: 503 });
    expect(i.posting.history[1].detail).toMatch(/^503 ServiceUnavailable: Service temporarily unavailable.*attempt 1 of 3/);
    expect(i.posting).toMatchObject({ totalAttempts: 3, corrections: 0 });
    expect(ctx.bc.byExternalNumber("salesInvoices", invoiceNumber)).toHaveLength(1);
    expect(createdInErp(ctx) - before).toBe(1);
  });

  it("ERP slow (answers after our deadline, having posted): the next attempt finds it by its number and posts nothing again", async () => {
    const before = createdInErp(ctx);
    ctx.bc.fail({ method: "POST", path: "Microsoft.NAV.post", delayMs: 4000, times: 1 });
    const { id, invoiceNumber } = await createInvoice(ctx, "CUST-CLOUD-C1000", CLOUD_BU);
    const i = await untilPosting(ctx, id, ["POSTED"]);
    expect(actions(i)).toEqual(["SCHEDULED", "UNAVAILABLE", "FOUND_EXISTING"]);
    expect(i.posting.history[1].detail).toMatch(/no answer within 1500 ms/);
    const docs = ctx.bc.byExternalNumber("salesInvoices", invoiceNumber);
    expect(docs).toHaveLength(1);
    expect(i.erpDocumentNumber).toBe(docs[0].number);
    expect(createdInErp(ctx) - before).toBe(1);
    expect(ctx.bc.count("POST", "Microsoft.NAV.post")).toBeGreaterThan(0);
  });

  it("a worker killed after the ERP posted but before it recorded the answer: its lease runs out, the next one finds the document, posts nothing again", async () => {
    // What the dead worker left: the posting claimed (IN_FLIGHT under a lease), the invoice posted in the ERP.
    const { id, invoiceNumber } = await ctx.db.$transaction(async (tx) => {
      const created = await createInvoice({ ...ctx, db: tx as unknown as ErpContext["db"] }, "CUST-CLOUD-C1000", CLOUD_BU);
      await tx.erpPosting.create({
        data: {
          id: `INVOICE:${created.id}`,
          documentType: "INVOICE",
          documentId: created.id,
          businessUnitId: CLOUD_BU,
          documentNumber: created.invoiceNumber,
          state: "IN_FLIGHT",
          attempts: 1,
          totalAttempts: 1,
          leaseUntil: new Date(Date.now() + 60_000),
        },
      });
      return created;
    });
    const erp = new BcClient({ ...ctx.bc.endpoint(), timeoutMs: 5000 });
    const draft = await erp.request<{ id: string }>("POST", "salesInvoices", {
      body: {
        externalDocumentNumber: invoiceNumber,
        customerNumber: "C1000",
        salesInvoiceLines: [{ lineType: "Item", lineObjectNumber: "ERP-BOLT", quantity: 10, unitPrice: 2.5 }],
      },
    });
    await erp.request("POST", `salesInvoices(${draft.body.id})/Microsoft.NAV.post`);
    const before = createdInErp(ctx);
    await ctx.db.erpPosting.update({ where: { id: `INVOICE:${id}` }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    const i = await untilPosting(ctx, id, ["POSTED"]);
    expect(actions(i)).toEqual(["FOUND_EXISTING"]);
    expect(i.posting.totalAttempts).toBe(2);
    expect(createdInErp(ctx) - before).toBe(0);
    const docs = ctx.bc.byExternalNumber("salesInvoices", invoiceNumber);
    expect(docs).toHaveLength(1);
    expect(i.erpDocumentNumber).toBe(docs[0].number);
  });

  it("ERP down for good: an exception with the ERP's reason, listed; retried on request once it is back: posted once, counted as a correction", async () => {
    ctx.bc.fail({ path: "salesInvoices", status: 503, message: "Tenant is being upgraded" });
    const { id, invoiceNumber } = await createInvoice(ctx, "CUST-CLOUD-C1000", CLOUD_BU);
    const failed = await untilPosting(ctx, id, ["FAILED"]);
    expect(failed).toMatchObject({ postingStatus: "FAILED", postingAttempts: 3, posting: { lastErrorKind: "UNAVAILABLE" } });
    expect(failed.postingError).toMatch(/^gave up after 3 attempts; last: 503 ServiceUnavailable: Tenant is being upgraded/);
    expect(actions(failed).at(-1)).toBe("GAVE_UP");
    const listed = await gqlOk(
      ctx.url,
      `query($bu: ID) { postingFailures(businessUnitId: $bu, errorKind: [UNAVAILABLE]) { totalCount nodes { documentNumber lastError invoice { id } } } }`,
      { bu: CLOUD_BU },
    );
    expect(listed.postingFailures.nodes).toContainEqual({ documentNumber: invoiceNumber, lastError: failed.postingError, invoice: { id } });
    expect(await ctx.db.eventLog.count({ where: { type: "ErpPostingFailed", aggregateId: id } })).toBe(1);

    // The same failure in operations' exception queue, contributed by erp-finance (the invoice was
    // written directly, with no InvoiceCreated event, so no correlation id; the order-to-cash test follows one).
    const exceptionId = `FAILED_POSTING:INVOICE:${id}`;
    const queue = await gqlOk(
      ctx.url,
      `{ exceptions(filter: { domain: ["erp-finance"], kind: [FAILED_POSTING], state: [OPEN] }, first: 500) { totalCount unavailableDomains nodes { ${EXCEPTION} } } }`,
    );
    expect(queue.exceptions.unavailableDomains).toEqual([]);
    expect(queue.exceptions.nodes).toContainEqual(
      expect.objectContaining({
        id: exceptionId,
        domain: "erp-finance",
        source: "DYNAMICS_365",
        kind: "FAILED_POSTING",
        state: "OPEN",
        correlationId: null,
        resolvedAt: null,
      }),
    );
    expect(queue.exceptions.nodes.find((n: { id: string }) => n.id === exceptionId).reason).toBe(`invoice ${invoiceNumber}: ${failed.postingError}`);

    ctx.bc.clearFaults();
    const before = await gqlOk(ctx.url, `query($bu: ID) { postingAccuracy(businessUnitId: $bu) { posted postedWithoutCorrection } }`, { bu: CLOUD_BU });
    const retried = await gqlOk(ctx.url, `mutation($id: ID!) { retryInvoicePosting(id: $id, reason: "ERP upgrade finished") { id postingStatus } }`, { id });
    expect(retried.retryInvoicePosting).toEqual({ id, postingStatus: "PENDING" });
    const posted = await untilPosting(ctx, id, ["POSTED"]);
    expect(actions(posted).slice(-2)).toEqual(["RETRY_REQUESTED", "POSTED"]);
    expect(posted.posting.corrections).toBe(1);
    expect(ctx.bc.byExternalNumber("salesInvoices", invoiceNumber)).toHaveLength(1);
    // Posted after the retry: the exception resolved itself, with the time.
    const resolved = (await gqlOk(ctx.url, `query($id: ID!) { exception(id: $id) { ${EXCEPTION} } }`, { id: exceptionId })).exception;
    expect(resolved).toMatchObject({ state: "RESOLVED", resolutionNote: "retried: posted" });
    expect(Date.parse(resolved.resolvedAt)).toBeGreaterThanOrEqual(Date.parse(resolved.raisedAt));
    const after = await gqlOk(ctx.url, `query($bu: ID) { postingAccuracy(businessUnitId: $bu) { posted postedWithoutCorrection accuracy } }`, { bu: CLOUD_BU });
    expect(after.postingAccuracy.posted).toBe(before.postingAccuracy.posted + 1);
    expect(after.postingAccuracy.postedWithoutCorrection).toBe(before.postingAccuracy.postedWithoutCorrection);
    expect(after.postingAccuracy.accuracy).toBeCloseTo(after.postingAccuracy.postedWithoutCorrection / after.postingAccuracy.posted, 10);

    const again = await gql(ctx.url, `mutation($id: ID!) { retryInvoicePosting(id: $id) { id } }`, { id });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_STATUS_TRANSITION" } });
    expect(again.errors?.[0].message).toContain("already posted");
  });

  it("the file ERP refuses an invoice (acknowledged REJECTED): an exception with its reason; fixed in the ERP and retried: posted once", async () => {
    ctx.files.blocked.add("100200");
    const { id, invoiceNumber } = await createInvoice(ctx, "CUST-FILE-100200", FILE_BU);
    const failed = await untilPosting(ctx, id, ["FAILED"]);
    expect(failed.posting.lastErrorKind).toBe("REJECTED");
    expect(failed.postingError).toMatch(/the ERP rejected it \(inbound\/ack_invoices_.+\.csv\): customer 100200 is blocked for invoicing/);
    ctx.files.blocked.delete("100200");
    // Retried from the exception queue: back in line for the worker, so still OPEN until it is posted.
    const exceptionId = `FAILED_POSTING:INVOICE:${id}`;
    const retried = (await gqlOk(ctx.url, `mutation($id: ID!) { retryException(id: $id) { ${EXCEPTION} } }`, { id: exceptionId })).retryException;
    expect(retried).toMatchObject({ id: exceptionId, state: "OPEN", domain: "erp-finance" });
    expect(retried.reason).toContain("customer 100200 is blocked for invoicing");
    const posted = await untilPosting(ctx, id, ["POSTED"]);
    expect(actions(posted)).toEqual(["SCHEDULED", "EXPORTED", "ACK_REJECTED", "RETRY_REQUESTED", "EXPORTED", "ACKNOWLEDGED"]);
    expect((await gqlOk(ctx.url, `query($id: ID!) { exception(id: $id) { state resolutionNote } }`, { id: exceptionId })).exception).toEqual({
      state: "RESOLVED",
      resolutionNote: "retried: posted",
    });
    expect(posted.erpDocumentNumber).toBe(ctx.files.posted.get(`INVOICE:${invoiceNumber}`));
  });

  it("an invoice whose customer has no number in the ERP is an exception saying so (CONFIGURATION), not an attempt at the ERP", async () => {
    await ctx.db.customer.create({
      data: {
        id: "CUST-NO-NUMBER",
        name: "Keyed only here",
        businessUnitId: CLOUD_BU,
        creditLimit: "100.00",
        currency: "USD",
        paymentTerms: "NET30",
        termsDays: 30,
      },
    });
    const before = ctx.bc.requestLog.length;
    const { id } = await createInvoice(ctx, "CUST-NO-NUMBER", CLOUD_BU);
    const failed = await untilPosting(ctx, id, ["FAILED"]);
    expect(failed.posting.lastErrorKind).toBe("CONFIGURATION");
    expect(failed.postingError).toBe(
      "customer CUST-NO-NUMBER has no customer number in DYNAMICS_365 (no external ref or CUSTOMER cross-reference under DYNAMICS_365): import the ERP's customers, or add the cross-reference, then retry",
    );
    expect(ctx.bc.requestLog.slice(before).filter((r) => r.path.includes("salesInvoices"))).toHaveLength(0);
    // Discarded from the exception queue with a note: recorded in the posting's history; the posting stays FAILED.
    const exceptionId = `FAILED_POSTING:INVOICE:${id}`;
    const discarded = (
      await gqlOk(ctx.url, `mutation($id: ID!) { discardException(id: $id, note: "test customer, never to be posted") { ${EXCEPTION} } }`, { id: exceptionId })
    ).discardException;
    expect(discarded).toMatchObject({ id: exceptionId, state: "DISCARDED", resolutionNote: "test customer, never to be posted" });
    const history = await ctx.db.erpPostingHistory.findMany({ where: { postingId: `INVOICE:${id}` }, orderBy: { id: "asc" } });
    expect(history.at(-1)).toMatchObject({ action: "EXCEPTION_DISCARDED" });
    expect(history.at(-1)!.detail).toMatch(/^test customer, never to be posted \(correlation id .+\)$/);
    expect((await ctx.db.erpPosting.findUniqueOrThrow({ where: { id: `INVOICE:${id}` } })).state).toBe("FAILED");
    const retry = await gql(ctx.url, `mutation($id: ID!) { retryException(id: $id) { id } }`, { id: exceptionId });
    expect(retry.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_STATUS_TRANSITION" } });
  });
}
