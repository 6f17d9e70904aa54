// What the ingestion bench and its server process share: the messages between them, the item
// master they both name, and the bare-INSERT baseline. No side effects: both import it.
import { performance } from "node:perf_hooks";
import { Prisma } from "../platform/db/generated/client.js";
import type { Db } from "../platform/db/client.js";

export interface BaselineRow {
  sku: string;
  locationId: string;
  kind: "RECEIPT" | "PICK" | "ADJUSTMENT" | "MOVE_IN" | "MOVE_OUT";
  quantity: number;
  occurredAt: string;
  sourceEventId: string;
}

export interface LadderRow {
  step: string;
  events: number;
  perSecond: number;
}

export type ToServer =
  | { type: "stats"; id: number }
  | { type: "baseline"; id: number; rows: BaselineRow[]; rowsPerStatement: number; workers: number }
  | { type: "ladder"; id: number; events: unknown[][]; perRequest: number; workers: number }
  | { type: "stop" };

export type FromServer =
  | { type: "ready"; ingestUrl: string; x12Url: string; graphqlUrl: string; store: string }
  | { type: "handled"; items: [sourceEventId: string, handledAt: number][] }
  | { type: "stats"; id: number; deadlocks: number | null; rssMiB: number; statements?: number }
  | { type: "baseline"; id: number; rows: number; seconds: number; latenciesMs: number[] }
  | { type: "ladder"; id: number; rows: LadderRow[] }
  | { type: "error"; id: number; error: string };

export const benchSkus = (n: number) => Array.from({ length: n }, (_, i) => `BX-${String(i).padStart(5, "0")}`);
export const benchLocations = (n: number) => Array.from({ length: n }, (_, i) => `BX-WH-${i}`);
export const benchLocationId = (code: string) => `LOC-${code}`;
export const snapshotSkus = (n: number) => Array.from({ length: n }, (_, i) => `SNAP-${String(i).padStart(6, "0")}`);
export const SNAPSHOT_LOCATION = { id: "LOC-SNAP", code: "SNAP-WH", gln: "0614141000005" };

/** Plain INSERTs of journal-shaped rows, `rowsPerStatement` per statement, from `workers` at once. */
export async function bareInserts(db: Db, rows: BaselineRow[], rowsPerStatement: number, workers: number) {
  const statements: BaselineRow[][] = [];
  for (let i = 0; i < rows.length; i += rowsPerStatement) statements.push(rows.slice(i, i + rowsPerStatement));
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < statements.length) {
        const chunk = statements[next++];
        const values = chunk.map(
          (r) =>
            Prisma.sql`(${r.sku}, ${r.locationId}, ${r.kind}::"inventory"."MovementKind", ${r.quantity}, ${new Date(r.occurredAt)}, ${r.sourceEventId}, ${null})`,
        );
        const t0 = performance.now();
        await db.$executeRaw`
          INSERT INTO "bench"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId", "inboundMessageId")
          VALUES ${Prisma.join(values)}`;
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { rows: rows.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}
