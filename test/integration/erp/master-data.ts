// Customers (credit limits, terms, holds) and sales orders keyed into each kind of ERP flowing
// into the graph: Business Central's customers and salesOrders over HTTP, the file ERP's
// customers*.csv and orders*.csv from its inbound folder (applied once, refused whole with the
// line named, archived or moved to error/).
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { gqlOk } from "../../helpers/graphql.js";
import { waitFor } from "../../helpers/wait.js";
import { CLOUD_BU, FILE_BU, type ErpContext } from "./context.js";

const CUSTOMER = `id name businessUnit { id } creditLimit currency creditHold paymentTerms { code netDays } externalRefs { system value }`;
const customer = async (ctx: ErpContext, id: string) => (await gqlOk(ctx.url, `query($id: ID!) { customer(id: $id) { ${CUSTOMER} } }`, { id })).customer;
const imports = async (ctx: ErpContext) =>
  (
    await gqlOk(ctx.url, `query($bu: ID) { erpFileImports(businessUnitId: $bu, first: 50) { nodes { fileName kind state rows error result movedTo } } }`, {
      bu: FILE_BU,
    })
  ).erpFileImports.nodes;
/** The import of a file once it is settled: recorded, and moved to archive/ or error/ (movedTo set). */
const importOf = (ctx: ErpContext, name: string) =>
  waitFor(
    async () => (await imports(ctx)).find((f: { fileName: string; movedTo: string | null }) => f.fileName === `inbound/${name}` && f.movedTo),
    `the import of ${name}`,
  );
const ORDER = `id channel status customer { id } customerPo currency externalRefs { system value } lines { lineNumber sku quantityOrdered unit }`;
const orderByRef = async (ctx: ErpContext, ref: string) =>
  (await gqlOk(ctx.url, `query($r: String!) { orders(filter: { externalRef: $r }) { nodes { ${ORDER} } } }`, { r: ref })).orders.nodes[0] ?? null;

export function masterDataTests(ctx: ErpContext) {
  it("customers keyed into the cloud ERP arrive with credit limit, terms and hold; a later change follows", async () => {
    ctx.bc.upsertCustomer({ number: "C1000", displayName: "Cloud Hardware Inc", creditLimit: 50000, paymentTerms: "NET45" });
    ctx.bc.upsertCustomer({ number: "C1001", displayName: "Held Supplies LLC", creditLimit: 1000, paymentTerms: "NET30", blocked: "All" });
    const c = await waitFor(() => customer(ctx, "CUST-CLOUD-C1000"), "customer C1000 from the cloud ERP");
    expect(c).toEqual({
      id: "CUST-CLOUD-C1000",
      name: "Cloud Hardware Inc",
      businessUnit: { id: CLOUD_BU },
      creditLimit: "50000.00",
      currency: "USD",
      creditHold: false,
      paymentTerms: { code: "NET45", netDays: 45 },
      externalRefs: [{ system: "DYNAMICS_365", value: "C1000" }],
    });
    expect(await waitFor(() => customer(ctx, "CUST-CLOUD-C1001"), "customer C1001")).toMatchObject({ creditHold: true, creditLimit: "1000.00" });
    // Changed in the ERP: the next pull (modified since the cursor) applies it.
    ctx.bc.upsertCustomer({ number: "C1000", displayName: "Cloud Hardware Inc", creditLimit: 75000, paymentTerms: "NET45" });
    await waitFor(async () => (await customer(ctx, "CUST-CLOUD-C1000")).creditLimit === "75000.00" || null, "the new credit limit");
    const connector = (await gqlOk(ctx.url, `{ businessUnit(id: "${CLOUD_BU}") { connector { cursors { entity cursor } } } }`)).businessUnit.connector;
    expect(connector.cursors.map((c: { entity: string }) => c.entity)).toContain("CUSTOMERS");
    // The cross-reference orders keyed into the ERP are found by.
    expect(await ctx.db.crossReference.findFirst({ where: { kind: "CUSTOMER", system: "DYNAMICS_365", externalValue: "C1000" } })).toMatchObject({
      canonicalId: "CUST-CLOUD-C1000",
    });
  });

  it("the file ERP's customer master is applied once, archived; a bad file goes to error/ with the line named, nothing applied", async () => {
    const rows = [
      { customerNumber: "100200", name: "Legacy Tools Co", currency: "USD", creditLimit: "20000.00", paymentTerms: "NET30", termsDays: 30, gln: "" },
    ];
    ctx.files.dropCustomers("customers_20261127.csv", rows);
    const applied = await importOf(ctx, "customers_20261127.csv");
    expect(applied).toMatchObject({ kind: "CUSTOMERS", state: "APPLIED", rows: 1, error: null });
    expect(applied.movedTo).toMatch(/^archive\/\d+T?\d*_customers_20261127\.csv$/);
    expect(fs.existsSync(path.join(ctx.files.root, applied.movedTo))).toBe(true);
    expect(await customer(ctx, "CUST-FILE-100200")).toMatchObject({
      creditLimit: "20000.00",
      paymentTerms: { code: "NET30", netDays: 30 },
      externalRefs: [{ system: "SAP_ECC", value: "100200" }],
    });

    // The same content again (a re-sent export): archived as a duplicate, not applied again.
    const events = await ctx.db.eventLog.count({ where: { type: "CustomerChanged" } });
    ctx.files.dropCustomers("customers_20261127_resent.csv", rows);
    expect(await importOf(ctx, "customers_20261127_resent.csv")).toMatchObject({ state: "DUPLICATE", rows: 0 });
    expect(await ctx.db.eventLog.count({ where: { type: "CustomerChanged" } })).toBe(events);

    ctx.files.drop(
      "customers_bad.csv",
      "customerNumber,name,currency,creditLimit,paymentTerms,termsDays,creditHold,gln\r\n100300,Good Co,USD,100.00,NET30,30,N,\r\n100301,Bad Co,USD,lots,NET30,30,N,\r\n",
    );
    const refused = await importOf(ctx, "customers_bad.csv");
    expect(refused).toMatchObject({ state: "REJECTED", error: 'line 3: column creditLimit must be a decimal amount such as 1250.00, got "lots"' });
    expect(refused.movedTo).toMatch(/^error\//);
    expect(fs.readFileSync(path.join(ctx.files.root, `${refused.movedTo}.reason.txt`), "utf8")).toContain("line 3");
    expect(await ctx.db.customer.count({ where: { id: { in: ["CUST-FILE-100300", "CUST-FILE-100301"] } } })).toBe(0);
  });

  it("a sales order keyed into the cloud ERP becomes an order (channel ERP) with the ERP's number as external ref", async () => {
    const so = ctx.bc.addSalesOrder({
      customerNumber: "C1000",
      externalDocumentNumber: "PO-CL-1",
      lines: [{ lineObjectNumber: "ERP-BOLT", quantity: 20, unitOfMeasureCode: "EA", unitPrice: 2.5 }],
    });
    const o = await waitFor(() => orderByRef(ctx, so.number as string), `the order of ${so.number}`);
    expect(o).toMatchObject({
      channel: "ERP",
      customer: { id: "CUST-CLOUD-C1000" },
      customerPo: "PO-CL-1",
      externalRefs: expect.arrayContaining([{ system: "DYNAMICS_365", value: so.number }]),
      lines: [{ lineNumber: 10000, sku: "ERP-BOLT", quantityOrdered: 20, unit: "EA" }],
    });
    expect(await ctx.db.order.count({ where: { channel: "ERP" } })).toBe(1);
  });

  it("the file ERP's orders file: each order captured through the orders channel; an unknown customer is one dead letter, the others go on", async () => {
    const head = {
      orderDate: "2026-11-27",
      customerPo: "PO-LG-1",
      currency: "USD",
      requestedShipDate: "",
      shipToName: "Legacy Tools",
      shipToAddress: "1 Main St, Atlanta GA",
      unitPrice: "",
    };
    ctx.files.dropOrders("orders_20261127.csv", [
      { ...head, orderNumber: "SO-9001", customerNumber: "100200", lineNumber: 1, itemNumber: "ERP-NUT", quantity: 100, unit: "EA" },
      { ...head, orderNumber: "SO-9001", customerNumber: "100200", lineNumber: 2, itemNumber: "ERP-BOLT", quantity: 2, unit: "CS" },
      { ...head, orderNumber: "SO-9002", customerNumber: "999999", lineNumber: 1, itemNumber: "ERP-NUT", quantity: 5, unit: "EA" },
    ]);
    const applied = await importOf(ctx, "orders_20261127.csv");
    expect(applied).toMatchObject({ kind: "SALES_ORDERS", state: "APPLIED", rows: 2 });
    const [first, second] = applied.result.orders;
    expect(first).toMatchObject({ number: "SO-9001", state: "PROCESSED" });
    expect(second).toMatchObject({ number: "SO-9002", state: "DEAD_LETTER" });
    expect(second.error).toContain("999999");
    const o = await orderByRef(ctx, "SO-9001");
    expect(o).toMatchObject({
      channel: "ERP",
      customer: { id: "CUST-FILE-100200" },
      customerPo: "PO-LG-1",
      externalRefs: expect.arrayContaining([{ system: "SAP_ECC", value: "SO-9001" }]),
    });
    expect(o.lines).toEqual([
      { lineNumber: 1, sku: "ERP-NUT", quantityOrdered: 100, unit: "EA" },
      { lineNumber: 2, sku: "ERP-BOLT", quantityOrdered: 2, unit: "CS" },
    ]);
  });
}
