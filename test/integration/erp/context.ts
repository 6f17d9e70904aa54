// What the ERP connector tests share: the app (no demo data), a Business Central stand-in on
// 127.0.0.1 and a file-ERP stand-in on a temporary exchange folder, two business units (one per
// ERP kind), and helpers to make invoices and read postings back through the graph.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { Prisma } from "../../../platform/db/generated/client.js";
import type { Db } from "../../../platform/db/client.js";
import { startTestApp, type TestApp } from "../../helpers/embedded-app.js";
import type { StoreKind } from "../../helpers/databases.js";
import { gqlOk } from "../../helpers/graphql.js";
import { waitFor } from "../../helpers/wait.js";
import { BusinessCentralStandIn } from "../../../subgraphs/erp-finance/stand-in/business-central.js";
import { FileErpStandIn } from "../../../subgraphs/erp-finance/stand-in/file-erp.js";
import type { HostOptions } from "../../../app/host.js";

export const CLOUD_BU = "BU-CLOUD";
export const FILE_BU = "BU-FILE";
/** Per-request deadline towards the cloud ERP: short, so the timeout tests are quick (the stand-in is told to answer later than this). */
export const REQUEST_TIMEOUT_MS = 1500;

export interface ErpContext {
  t: TestApp;
  db: Db;
  url: string;
  base: string;
  bc: BusinessCentralStandIn;
  files: FileErpStandIn;
  root: string;
}

/** `hostOptions`: more host settings (the order-to-cash trace test releases orders automatically). */
export async function startErpApp(kind: StoreKind, hostOptions: HostOptions = {}): Promise<ErpContext> {
  const bc = await new BusinessCentralStandIn({ pageSize: 5 }).start();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "erp-exchange-"));
  const files = new FileErpStandIn({ root: path.join(root, FILE_BU), customers: new Set(), pollIntervalMs: 100 }).start();
  const t = await startTestApp(kind, {
    demo: false,
    hostOptions: {
      pollIntervalMs: 200,
      creditCheckTimeoutMs: 60_000,
      ...hostOptions,
      erp: {
        defaultCloud: bc.endpoint(),
        secrets: {},
        fileRoot: root,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        fileSettleMs: 0,
        postingPollMs: 100,
        worker: { backoff: { baseMs: 100, maxMs: 400 } },
        // Errors only: the pulls' and deliveries' info lines would drown the test report.
        log: (e) => e.level === "error" && console.error(JSON.stringify(e)),
      },
    },
  });
  const ctx: ErpContext = { t, db: t.database.db, url: t.app.url, base: t.app.url.replace(/\/graphql$/, "/"), bc, files, root };
  await createErpFixture(ctx);
  return ctx;
}

export async function stopErpApp(ctx: ErpContext | undefined) {
  if (!ctx) return;
  await ctx.t.close();
  await ctx.files.stop();
  await ctx.bc.stop();
  fs.rmSync(ctx.root, { recursive: true, force: true });
}

export const CONNECTOR = `businessUnit { id } kind system enabled folder pollIntervalMs maxAttempts cursors { entity cursor }`;

async function createErpFixture(ctx: ErpContext) {
  await ctx.db.businessUnit.createMany({
    data: [
      { id: CLOUD_BU, name: "Cloud unit", erpSystem: "DYNAMICS_365", erpInstance: "CRONUS", deployment: "CLOUD", currency: "USD" },
      { id: FILE_BU, name: "Legacy unit", erpSystem: "SAP_ECC", erpInstance: "ECC-100", deployment: "ON_PREMISE", currency: "USD" },
    ],
  });
  const configure = `mutation($bu: ID!, $input: ErpConnectorInput!) { configureErpConnector(businessUnitId: $bu, input: $input) { ${CONNECTOR} } }`;
  const cloud = await gqlOk(ctx.url, configure, { bu: CLOUD_BU, input: { kind: "CLOUD_REST", pollIntervalMs: 1000, maxAttempts: 3 } });
  expect(cloud.configureErpConnector).toMatchObject({ kind: "CLOUD_REST", system: "DYNAMICS_365", enabled: true, maxAttempts: 3 });
  await gqlOk(ctx.url, configure, { bu: FILE_BU, input: { kind: "FILE_EXCHANGE", folder: FILE_BU, pollIntervalMs: 1000, maxAttempts: 3 } });
  await gqlOk(ctx.url, `mutation($p: [ProductInput!]!) { upsertProducts(products: $p) { created } }`, {
    p: [
      { sku: "ERP-BOLT", description: "Hex bolt", baseUnit: "EA", conversions: [{ unit: "CS", factor: 12 }] },
      { sku: "ERP-NUT", description: "Hex nut", baseUnit: "EA" },
    ],
  });
  await gqlOk(ctx.url, `mutation($p: [PriceInput!]!) { upsertPrices(prices: $p) }`, {
    p: [
      { sku: "ERP-BOLT", unit: "EA", currency: "USD", unitPrice: "2.5000" },
      { sku: "ERP-NUT", unit: "EA", currency: "USD", unitPrice: "0.4000" },
    ],
  });
  await waitFor(async () => (await ctx.db.financeCatalogItem.count()) === 2 || null, "erp-finance's catalog read model");
}

let invoiceSeq = 0;

/**
 * An invoice as the invoicing consumer writes one (erp-finance's own table, postingStatus PENDING,
 * no posting yet): the posting worker must pick it up by itself.
 */
export async function createInvoice(ctx: ErpContext, customerId: string, businessUnitId: string, options: { withAdjustments?: boolean } = {}) {
  const n = ++invoiceSeq;
  const id = `INV-T${String(n).padStart(4, "0")}-${businessUnitId}`;
  const lines = [
    { sku: "ERP-BOLT", quantity: 10, unit: "EA", unitPrice: new Prisma.Decimal("2.5000") },
    { sku: "ERP-NUT", quantity: 25, unit: "EA", unitPrice: new Prisma.Decimal("0.4000") },
  ];
  const subtotal = new Prisma.Decimal("35.00");
  const charges = options.withAdjustments ? new Prisma.Decimal("12.50") : new Prisma.Decimal(0);
  const allowances = options.withAdjustments ? new Prisma.Decimal("3.50") : new Prisma.Decimal(0);
  const tax = new Prisma.Decimal("2.89");
  await ctx.db.invoice.create({
    data: {
      id,
      invoiceNumber: `IN-T-${businessUnitId}-${n}`,
      orderId: `ORD-T${n}`,
      customerId,
      businessUnitId,
      status: "OPEN",
      postingStatus: "PENDING",
      invoiceDate: new Date("2026-11-27T00:00:00Z"),
      dueDate: new Date("2026-12-27T00:00:00Z"),
      currency: "USD",
      subtotal,
      chargesTotal: charges,
      allowancesTotal: allowances,
      taxRate: new Prisma.Decimal("0.0825"),
      taxTotal: tax,
      total: subtotal.add(charges).sub(allowances).add(tax),
      lines: { create: lines.map((l, i) => ({ id: `${id}-${i + 1}`, lineNumber: i + 1, ...l, amount: l.unitPrice.mul(l.quantity).toDecimalPlaces(2) })) },
      ...(options.withAdjustments && {
        adjustments: {
          create: [
            { id: `${id}-C1`, kind: "CHARGE" as const, code: "D240", description: "Freight", amount: charges },
            { id: `${id}-A1`, kind: "ALLOWANCE" as const, code: "C310", description: "Discount", amount: allowances },
          ],
        },
      }),
    },
  });
  return { id, invoiceNumber: `IN-T-${businessUnitId}-${n}` };
}

export const INVOICE_POSTING = `id invoiceNumber total postingStatus erpDocumentNumber postingAttempts postingError
  posting { state attempts totalAttempts lastError lastErrorKind corrections erpDocumentNumber batchFile history { action detail httpStatus } }`;

export async function invoice(ctx: ErpContext, id: string) {
  return (await gqlOk(ctx.url, `query($id: ID!) { invoice(id: $id) { ${INVOICE_POSTING} } }`, { id })).invoice;
}

/**
 * Until the posting is in one of `states` and the invoice row says the same (the two rows are read
 * one after the other in a request, so a read between the two writes' commits is not the end yet).
 */
export const untilPosting = (ctx: ErpContext, id: string, states: ("POSTED" | "FAILED")[], timeoutMs = 30_000) =>
  waitFor(
    async () => ((i) => (i?.posting && states.includes(i.posting.state) && i.postingStatus === i.posting.state ? i : null))(await invoice(ctx, id)),
    `invoice ${id} posting in ${states.join("/")}`,
    timeoutMs,
  );
