// Generates a valid history of WMS inventory events and computes the state that applying it in
// time order produces: the oracle the reordering and crash tests compare against.
export interface HistoryEvent {
  eventId: string;
  type: "RECEIPT" | "PICK" | "ADJUSTMENT" | "MOVE" | "COUNT";
  sku: string;
  location: string;
  toLocation?: string;
  quantity: number;
  occurredAt: string;
}

export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryOptions {
  events: number;
  skus: string[];
  locations: string[];
  /** Share of absolute counts among the events (0 for deltas only). */
  countShare: number;
  seed: number;
  start?: Date;
}

export function generateHistory(o: HistoryOptions): HistoryEvent[] {
  const rnd = seededRandom(o.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const start = (o.start ?? new Date("2026-11-01T00:00:00Z")).getTime();
  const events: HistoryEvent[] = [];
  for (let i = 0; i < o.events; i++) {
    // Strictly increasing times: in-order application is well defined.
    const occurredAt = new Date(start + i * 1000 + Math.floor(rnd() * 900)).toISOString();
    const sku = pick(o.skus);
    const location = pick(o.locations);
    const r = rnd();
    const base = { eventId: `h-${o.seed}-${i}`, sku, location, occurredAt };
    if (r < o.countShare) events.push({ ...base, type: "COUNT", quantity: Math.floor(rnd() * 500) });
    else if (r < o.countShare + (1 - o.countShare) * 0.4) events.push({ ...base, type: "RECEIPT", quantity: 1 + Math.floor(rnd() * 50) });
    else if (r < o.countShare + (1 - o.countShare) * 0.75) events.push({ ...base, type: "PICK", quantity: 1 + Math.floor(rnd() * 20) });
    else if (r < o.countShare + (1 - o.countShare) * 0.9)
      events.push({ ...base, type: "ADJUSTMENT", quantity: (rnd() < 0.5 ? -1 : 1) * (1 + Math.floor(rnd() * 5)) });
    else events.push({ ...base, type: "MOVE", toLocation: pick(o.locations.filter((l) => l !== location)), quantity: 1 + Math.floor(rnd() * 10) });
  }
  return events;
}

/** onHand per "sku@locationCode" after applying the events in time order. */
export function applyInOrder(events: HistoryEvent[]): Map<string, number> {
  const onHand = new Map<string, number>();
  const add = (k: string, q: number) => onHand.set(k, (onHand.get(k) ?? 0) + q);
  for (const e of [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))) {
    const k = `${e.sku}@${e.location}`;
    if (e.type === "COUNT") onHand.set(k, e.quantity);
    else if (e.type === "RECEIPT") add(k, e.quantity);
    else if (e.type === "PICK") add(k, -e.quantity);
    else if (e.type === "ADJUSTMENT") add(k, e.quantity);
    else {
      add(k, -e.quantity);
      add(`${e.sku}@${e.toLocation}`, e.quantity);
    }
  }
  return onHand;
}

/** Shuffles within a sliding window and re-sends a share of events as duplicates, later on. */
export function reorderWithDuplicates(events: HistoryEvent[], window: number, duplicateShare: number, seed: number): HistoryEvent[] {
  const rnd = seededRandom(seed);
  const out = [...events];
  for (let start = 0; start < out.length; start += Math.ceil(window / 2)) {
    const end = Math.min(out.length, start + window);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(rnd() * (i - start + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  const duplicates = Math.round(events.length * duplicateShare);
  for (let d = 0; d < duplicates; d++) {
    const source = Math.floor(rnd() * out.length);
    const at = Math.min(out.length, source + 1 + Math.floor(rnd() * window * 2));
    out.splice(at, 0, out[source]);
  }
  return out;
}
