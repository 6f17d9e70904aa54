// The three ways a full stock snapshot arrives, for the snapshot scenario of `npm run bench:ingest`:
// reconcileInventory (GraphQL), an X12 846 (POST /ingest/x12), a WMS COUNT_SNAPSHOT (POST
// /ingest/wms/inventory). Each names every position of one warehouse with a quantity that differs
// from the one before, so every position changes and gets its InventoryChanged event.

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const x12Date = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
const x12Time = (d: Date) => `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}`;

export function reconcileRequest(skus: string[], locationId: string, asOf: Date, quantity: (i: number) => number) {
  return {
    query: `mutation($s: InventorySnapshotInput!) { reconcileInventory(snapshot: $s, apply: true) { positionsCompared positionsWithDrift } }`,
    variables: { s: { asOf: asOf.toISOString(), source: "bench-reconcile", positions: skus.map((sku, i) => ({ sku, locationId, onHand: quantity(i) })) } },
  };
}

/** The source event id reconcileInventory journals its changes under. */
export const reconcileSourceEventId = (asOf: Date) => `bench-reconcile:${asOf.toISOString()}`;

/** One 846 interchange: N1 names the warehouse by code, one LIN and QTY*17 (on hand) per item. */
export function x12Snapshot(
  skus: string[],
  locationCode: string,
  at: Date,
  control: number,
  quantity: (i: number) => number,
): { body: string; sourceEventId: string } {
  const reference = `BENCH-SNAP-${control}`;
  const isaControl = pad(control, 9);
  const body: string[] = [
    `ISA*00*          *00*          *ZZ*BENCHWMS       *ZZ*DISTGRAPH      *${x12Date(at).slice(2)}*${x12Time(at).slice(0, 4)}*^*00401*${isaControl}*0*T*>`,
    `GS*IB*BENCHWMS*DISTGRAPH*${x12Date(at)}*${x12Time(at).slice(0, 4)}*${control}*X*004010`,
  ];
  const set = [
    `ST*846*0001`,
    `BIA*00*MM*${reference}*${x12Date(at)}*${x12Time(at).slice(0, 4)}`,
    `DTM*405*${x12Date(at)}*${x12Time(at)}*UT`,
    `N1*WH*BENCH SNAPSHOT WAREHOUSE*92*${locationCode}`,
  ];
  skus.forEach((sku, i) => set.push(`LIN*${i + 1}*SK*${sku}`, `QTY*17*${quantity(i)}*EA`));
  set.push(`SE*${set.length + 1}*0001`);
  body.push(...set, `GE*1*${control}`, `IEA*1*${isaControl}`);
  return { body: body.join("~\n") + "~\n", sourceEventId: `x12-846:${reference}:${at.toISOString()}` };
}

/** One WMS COUNT_SNAPSHOT event for the warehouse. */
export function wmsCountSnapshot(skus: string[], locationCode: string, at: Date, eventId: string, quantity: (i: number) => number) {
  return {
    eventId,
    type: "COUNT_SNAPSHOT",
    location: locationCode,
    occurredAt: at.toISOString(),
    counts: skus.map((sku, i) => ({ sku, quantity: quantity(i) })),
  };
}
