// npm start's demo orders, every one made by the real flows on top of the reference data
// (demo/load.ts loadReferenceData): placed with placeOrder (a few for customers on credit hold,
// one of those then cancelled), allocated, released (a 940 to a 3PL for one warehouse, WMS JSON
// for the others, both written to folders under WAREHOUSE_OUTBOX_DIR), confirmed by the warehouse
// (a 945 from the 3PL, WMS JSON shipment confirmations, every fifth short: a backorder), a tenth
// left in the warehouse's hands, carrier milestones from the TMS, invoiced and posted to each
// business unit's ERP, and one return received and credited. So each demo order has the events,
// history, documents and postings real data has. Everything goes through the running app's HTTP
// endpoints, as a partner's systems would; placeOrder calls run a few at a time and the
// warehouses answer in one batch each, which keeps the whole set within start-up's budget.
import type { Db } from "../platform/db/client.js";
import { makeSscc } from "../subgraphs/shipments/domain.js";
import type { DemoData } from "./generate.js";

const DEMO_3PL = "ZZ:DEMO3PL";
/** placeOrder calls in flight at once. */
const PLACING_CONCURRENCY = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The bearer token the flows send (npm start signs one with every scope; see app/dev-token.ts).
let authorization: string | undefined;

async function post(url: string | URL, body: string, contentType = "application/json") {
  try {
    return await fetch(url, { method: "POST", headers: { "content-type": contentType, ...(authorization && { authorization }) }, body });
  } catch (err) {
    throw new Error(
      `demo flows: POST ${String(url)} failed: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ""}`,
      { cause: err },
    );
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
  const out = [
    `ISA*00*${pad("", 10)}*00*${pad("", 10)}*${q}*${pad(id, 15)}*ZZ*${pad("DISTGRAPH", 15)}*261128*1200*U*00401*${c}*0*P*>`,
    `GS*${functionalId}*${id}*DISTGRAPH*20261128*1200*${control}*X*004010`,
  ];
  sets.forEach((s, i) =>
    out.push(`ST*${s.id}*${String(i + 1).padStart(4, "0")}`, ...s.segments, `SE*${s.segments.length + 2}*${String(i + 1).padStart(4, "0")}`),
  );
  out.push(`GE*${sets.length}*${control}`, `IEA*1*${c}`);
  return out.map((s) => `${s}~\n`).join("");
}

/** Runs fn over items with at most `limit` in flight; results in the items' order. */
async function inPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

export interface DemoFlowCounts {
  orders: number;
  creditHolds: number;
  cancelled: number;
  shipments: number;
  milestones: number;
  invoices: number;
  returns: number;
  creditMemos: number;
}

export async function runDemoFlows(url: string, db: Db, data: DemoData, options: { authorization?: string; orders: number }): Promise<DemoFlowCounts> {
  authorization = options.authorization;
  // How many: DEMO_FLOW_ORDERS, read by app/config.ts (the demo's placed orders, before the 3 on credit hold).
  const orders = options.orders;
  const base = url.replace(/\/graphql$/, "/");
  const now = new Date();
  const ymd = now.toISOString().slice(0, 10).replace(/-/g, "");
  const warehouses = data.locations.filter((l) => l.kind === "WAREHOUSE");
  const threePl = warehouses[0];
  await gql(url, `mutation($i: WarehouseEndpointInput!) { configureWarehouse(input: $i) { format } }`, {
    i: { locationId: threePl.id, format: "X12_940", partner: DEMO_3PL, deliverTo: "folder:demo-3pl" },
  });
  // Products in stock at a warehouse, with a list price in each: 1 to 3 lines of a few eaches.
  const listed = new Set(data.priceListEntries.filter((p) => p.priceList === "LIST" && p.unit === "EA" && p.currency === "USD").map((p) => p.sku));
  const stocked = data.inventoryPositions.filter(
    (p) => warehouses.some((w) => w.id === p.locationId) && listed.has(p.sku) && p.onHand - p.reserved - p.damaged - p.qualityHold - p.safetyStock > 50,
  );
  const customers = data.customers.filter((c) => !c.creditHold && c.currency === "USD");
  // A few orders from customers on credit hold: they stop at CREDIT_HOLD, as such orders do.
  const onHold = data.customers.filter((c) => c.creditHold && c.currency === "USD").slice(0, 3);
  const requests = [
    ...Array.from({ length: orders }, (_, i) => ({ i, customerId: customers[i % customers.length].id })),
    ...onHold.map((c, k) => ({ i: orders + k, customerId: c.id })),
  ];
  const answers = await inPool(requests, PLACING_CONCURRENCY, async ({ i, customerId }) => {
    const lines = [0, 1, 2].slice(0, 1 + (i % 3)).map((l) => stocked[(i * 17 + l * 31) % stocked.length]);
    const unique = [...new Map(lines.map((p) => [p.sku, p])).values()];
    const r = await gql(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome order { id status } } }`, {
      i: {
        idempotencyKey: `demo-flow-${i}`,
        customerId,
        customerPo: `DEMO-PO-${1000 + i}`,
        shipFrom: [unique[0].locationId],
        lines: unique.map((p, n) => ({ sku: p.sku, quantity: 1 + ((i + n) % 5) })),
      },
    });
    return {
      outcome: r.placeOrder.outcome as string,
      id: r.placeOrder.order?.id as string | undefined,
      status: r.placeOrder.order?.status as string | undefined,
    };
  });
  const placed = answers.filter((a) => a.outcome === "ACCEPTED" && a.id).map((a) => a.id!);
  const held = answers.filter((a) => a.id && a.status === "CREDIT_HOLD").map((a) => a.id!);
  let cancelled = 0;
  if (held.length) {
    await gql(url, `mutation($id: ID!) { cancelOrder(id: $id, reason: "demo: customer withdrew the order while on credit hold") { status } }`, { id: held[0] });
    cancelled = 1;
  }
  // The warehouses answer the shipping orders, all but every tenth (still being picked): the 3PL
  // with one 945 for all of its orders, the WMS with one batch of confirmations.
  const released = await until("the demo orders released", async () => {
    const wos = await db.warehouseOrder.findMany({
      where: { orderId: { in: placed } },
      include: { lines: { orderBy: { lineNumber: "asc" } } },
      orderBy: { number: "asc" },
    });
    const settled = await db.order.count({ where: { id: { in: placed }, status: { in: ["ACCEPTED", "ALLOCATED"] } } });
    return settled === 0 && wos.length >= placed.length * 0.8 ? wos : null;
  });
  const confirmed = released.filter((_, i) => i % 10 !== 9);
  let serial = 5000;
  const sets945 = confirmed
    .filter((w) => w.format === "X12_940")
    .map((w) => ({
      id: "945",
      segments: [
        `W06*F*${w.number}*${ymd}*DEMO-${w.number}`,
        "W27*M*UPSN***GROUND",
        ...w.lines.flatMap((l, n) => [
          `LX*${n + 1}`,
          `MAN*GM*${makeSscc(0, "0614141", ++serial)}`,
          `W12*CC*${l.quantity}*${l.quantity}*0*${l.unit}**VN*${l.sku}`,
        ]),
      ],
    }));
  if (sets945.length) await post(new URL("/ingest/x12", base), x12(DEMO_3PL, 7001, "SW", sets945), "application/edi-x12");
  const wms = confirmed
    .filter((w) => w.format === "WMS_JSON")
    .map((w, i) => ({
      eventId: `demo-wms-${w.id}`,
      warehouseOrderNumber: w.number,
      shippedAt: now.toISOString(),
      final: true,
      carrier: { scac: "FDEG", name: "FedEx Ground", serviceLevel: "GROUND" },
      // Every fifth one is short on its first line: a partial shipment with a backorder.
      packages: [
        {
          sscc: makeSscc(0, "0614141", ++serial),
          weightKg: 2.5,
          items: w.lines.map((l, n) => ({ lineNumber: l.lineNumber, quantity: i % 5 === 0 && n === 0 && l.quantity > 1 ? l.quantity - 1 : l.quantity })),
        },
      ],
    }));
  if (wms.length) await post(new URL("/ingest/wms/shipments", base), JSON.stringify(wms));
  const confirmedOrders = confirmed.map((w) => w.orderId);
  const invoices = await until("the demo invoices", async () => {
    const n = await db.invoice.count({ where: { orderId: { in: confirmedOrders } } });
    return n >= confirmed.length ? n : null;
  });
  // The carrier's milestones from the TMS: every shipment picked up, half in transit, a third delivered.
  const shipments = await db.shipment.findMany({
    where: { orderId: { in: confirmedOrders } },
    select: { shipmentNumber: true },
    orderBy: { shipmentNumber: "asc" },
  });
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
  const milestones = shipments.flatMap((s, i) => [
    {
      eventId: `demo-tms-${s.shipmentNumber}-pickup`,
      shipment: { shipmentNumber: s.shipmentNumber },
      code: "PICKED_UP",
      occurredAt: minutesAgo(50),
      location: "Origin terminal",
    },
    ...(i % 2 === 0
      ? [
          {
            eventId: `demo-tms-${s.shipmentNumber}-transit`,
            shipment: { shipmentNumber: s.shipmentNumber },
            code: "IN_TRANSIT",
            occurredAt: minutesAgo(30),
            location: "Linehaul hub",
          },
        ]
      : []),
    ...(i % 3 === 0
      ? [
          {
            eventId: `demo-tms-${s.shipmentNumber}-delivered`,
            shipment: { shipmentNumber: s.shipmentNumber },
            code: "DELIVERED",
            occurredAt: minutesAgo(5),
            location: "Customer dock",
            note: "signed for",
          },
        ]
      : []),
  ]);
  if (milestones.length) {
    const res = await post(new URL("/ingest/tms/milestones", base), JSON.stringify(milestones));
    if (!res.ok) throw new Error(`demo flows: the TMS milestones were refused (${res.status}): ${(await res.text()).slice(0, 300)}`);
  }
  // One return, received by disposition, and credited by erp-finance (its consumer of the receipt).
  const shipped = await db.order.findFirst({
    where: { id: { in: placed }, status: "INVOICED" },
    include: { lines: { orderBy: { lineNumber: "asc" } } },
    orderBy: { id: "asc" },
  });
  let returns = 0;
  let creditMemos = 0;
  if (shipped) {
    const line = shipped.lines[0];
    const loc = (await db.warehouseOrder.findFirstOrThrow({ where: { orderId: shipped.id } })).locationId;
    const rma = await gql(url, `mutation($i: AuthorizeReturnInput!) { authorizeReturn(input: $i) { id } }`, {
      i: { orderId: shipped.id, reason: "demo: damaged in transit", locationId: loc, lines: [{ lineNumber: line.lineNumber, quantity: 1 }] },
    });
    await gql(url, `mutation($i: ReceiveReturnInput!) { receiveReturn(input: $i) { status } }`, {
      i: { returnId: rma.authorizeReturn.id, lines: [{ lineNumber: line.lineNumber, damaged: 1 }] },
    });
    returns = 1;
    const credit = await until("the return's credit memo", async () => {
      const r = await gql(url, `query($id: ID!) { returnAuthorization(id: $id) { credit { status creditMemos { id } } } }`, { id: rma.authorizeReturn.id });
      return r.returnAuthorization?.credit && r.returnAuthorization.credit.status !== "WAITING_FOR_INVOICE" ? r.returnAuthorization.credit : null;
    });
    creditMemos = credit.creditMemos.length;
  }
  return {
    orders: answers.filter((a) => a.id).length,
    creditHolds: held.length,
    cancelled,
    shipments: shipments.length,
    milestones: milestones.length,
    invoices,
    returns,
    creditMemos,
  };
}
