// Demo orders that went through the real flows, on top of the generated data set: placed with
// placeOrder, allocated, released (a 940 to a 3PL for one warehouse, WMS JSON for the others, both
// written to folders under WAREHOUSE_OUTBOX_DIR), confirmed by the warehouse (a 945 from the 3PL,
// WMS JSON shipment confirmations, one of them short), invoiced, and one return received and
// credited (erp-finance's credit memo, queued for posting to the unit's ERP). So the
// demo has orders with the events, history, documents and invoices that real data has. Everything
// goes through the running app's HTTP endpoints, as a partner's systems would.
import type { Db } from "../platform/db/client.js";
import { makeSscc } from "../subgraphs/shipments/domain.js";
import type { DemoData } from "./generate.js";

const DEMO_3PL = "ZZ:DEMO3PL";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The bearer token the flows send (npm start signs one with every scope; see app/dev-token.ts).
let authorization: string | undefined;

async function post(url: string | URL, body: string, contentType = "application/json") {
  try {
    return await fetch(url, { method: "POST", headers: { "content-type": contentType, ...(authorization && { authorization }) }, body });
  } catch (err) {
    throw new Error(`demo flows: POST ${String(url)} failed: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ""}`, { cause: err });
  }
}

async function gql(url: string, query: string, variables?: unknown) {
  const res = await post(url, JSON.stringify({ query, variables }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the demo reads a few fields of known answers
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

async function until<T>(what: string, check: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`demo flows: timed out waiting for ${what}`);
    await sleep(100);
  }
}

const pad = (s: string, n: number) => s.padEnd(n, " ").slice(0, n);
function x12(sender: string, control: number, functionalId: string, sets: { id: string; segments: string[] }[]) {
  const [q, id] = sender.split(":");
  const c = String(control).padStart(9, "0");
  const out = [`ISA*00*${pad("", 10)}*00*${pad("", 10)}*${q}*${pad(id, 15)}*ZZ*${pad("DISTGRAPH", 15)}*261128*1200*U*00401*${c}*0*P*>`, `GS*${functionalId}*${id}*DISTGRAPH*20261128*1200*${control}*X*004010`];
  sets.forEach((s, i) => out.push(`ST*${s.id}*${String(i + 1).padStart(4, "0")}`, ...s.segments, `SE*${s.segments.length + 2}*${String(i + 1).padStart(4, "0")}`));
  out.push(`GE*${sets.length}*${control}`, `IEA*1*${c}`);
  return out.map((s) => `${s}~\n`).join("");
}

export async function runDemoFlows(url: string, db: Db, data: DemoData, options: { authorization?: string; orders?: number } = {}): Promise<{ orders: number; invoices: number; returns: number; creditMemos: number }> {
  authorization = options.authorization;
  const orders = options.orders ?? 12;
  const base = url.replace(/\/graphql$/, "/");
  const warehouses = data.locations.filter((l) => l.kind === "WAREHOUSE");
  const threePl = warehouses[0];
  await gql(url, `mutation($i: WarehouseEndpointInput!) { configureWarehouse(input: $i) { format } }`, { i: { locationId: threePl.id, format: "X12_940", partner: DEMO_3PL, deliverTo: "folder:demo-3pl" } });
  // Products in stock at a warehouse, with a list price in each: 1 to 3 lines of a few eaches.
  const listed = new Set(data.priceListEntries.filter((p) => p.priceList === "LIST" && p.unit === "EA" && p.currency === "USD").map((p) => p.sku));
  const stocked = data.inventoryPositions.filter((p) => warehouses.some((w) => w.id === p.locationId) && listed.has(p.sku) && p.onHand - p.allocated - p.reserved - p.damaged - p.qualityHold - p.safetyStock > 50);
  const customers = data.customers.filter((c) => !c.creditHold && c.currency === "USD");
  const placed: string[] = [];
  for (let i = 0; i < orders; i++) {
    const lines = [0, 1, 2].slice(0, 1 + (i % 3)).map((l) => stocked[(i * 17 + l * 31) % stocked.length]);
    const unique = [...new Map(lines.map((p) => [p.sku, p])).values()];
    const r = await gql(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome order { id } } }`, {
      i: { idempotencyKey: `demo-flow-${i}`, customerId: customers[i % customers.length].id, customerPo: `DEMO-PO-${1000 + i}`, shipFrom: [unique[0].locationId], lines: unique.map((p, n) => ({ sku: p.sku, quantity: 1 + ((i + n) % 5) })) },
    });
    if (r.placeOrder.outcome === "ACCEPTED") placed.push(r.placeOrder.order.id);
  }
  // The warehouses answer every shipping order: the 3PL with one 945 for all of its orders, the WMS one confirmation each.
  const released = await until("the demo orders released", async () => {
    const wos = await db.warehouseOrder.findMany({ where: { orderId: { in: placed } }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
    const settled = await db.order.count({ where: { id: { in: placed }, status: { in: ["ACCEPTED"] } } });
    return settled === 0 && wos.length >= placed.length * 0.8 ? wos : null;
  });
  let serial = 5000;
  const sets945 = released
    .filter((w) => w.format === "X12_940")
    .map((w) => ({
      id: "945",
      segments: [`W06*F*${w.number}*20261128*DEMO-${w.number}`, "W27*M*UPSN***GROUND", ...w.lines.flatMap((l, n) => [`LX*${n + 1}`, `MAN*GM*${makeSscc(0, "0614141", ++serial)}`, `W12*CC*${l.quantity}*${l.quantity}*0*${l.unit}**VN*${l.sku}`])],
    }));
  if (sets945.length) await post(new URL("/ingest/x12", base), x12(DEMO_3PL, 7001, "SW", sets945), "application/edi-x12");
  const wms = released.filter((w) => w.format === "WMS_JSON").map((w, i) => ({
    eventId: `demo-wms-${w.id}`,
    warehouseOrderNumber: w.number,
    shippedAt: "2026-11-28T11:00:00Z",
    final: true,
    carrier: { scac: "FDEG", name: "FedEx Ground", serviceLevel: "GROUND" },
    // Every fifth one is short on its first line: a partial shipment with a backorder.
    packages: [{ sscc: makeSscc(0, "0614141", ++serial), weightKg: 2.5, items: w.lines.map((l, n) => ({ lineNumber: l.lineNumber, quantity: i % 5 === 0 && n === 0 && l.quantity > 1 ? l.quantity - 1 : l.quantity })) }],
  }));
  if (wms.length) await post(new URL("/ingest/wms/shipments", base), JSON.stringify(wms));
  const invoices = await until("the demo invoices", async () => {
    const n = await db.invoice.count({ where: { orderId: { in: placed } } });
    return n >= released.length ? n : null;
  });
  // One return, received by disposition, and credited by erp-finance (its consumer of the receipt).
  const shipped = await db.order.findFirst({ where: { id: { in: placed }, status: "INVOICED" }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
  let returns = 0;
  let creditMemos = 0;
  if (shipped) {
    const line = shipped.lines[0];
    const loc = (await db.warehouseOrder.findFirstOrThrow({ where: { orderId: shipped.id } })).locationId;
    const rma = await gql(url, `mutation($i: AuthorizeReturnInput!) { authorizeReturn(input: $i) { id } }`, { i: { orderId: shipped.id, reason: "demo: damaged in transit", locationId: loc, lines: [{ lineNumber: line.lineNumber, quantity: 1 }] } });
    await gql(url, `mutation($i: ReceiveReturnInput!) { receiveReturn(input: $i) { status } }`, { i: { returnId: rma.authorizeReturn.id, lines: [{ lineNumber: line.lineNumber, damaged: 1 }] } });
    returns = 1;
    const credit = await until("the return's credit memo", async () => {
      const r = await gql(url, `query($id: ID!) { returnAuthorization(id: $id) { credit { status creditMemos { id } } } }`, { id: rma.authorizeReturn.id });
      return r.returnAuthorization?.credit && r.returnAuthorization.credit.status !== "WAITING_FOR_INVOICE" ? r.returnAuthorization.credit : null;
    });
    creditMemos = credit.creditMemos.length;
  }
  return { orders: placed.length, invoices, returns, creditMemos };
}
