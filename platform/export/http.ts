// GET /export/<dataset>: bulk data for analytics tools, as NDJSON (default) or CSV, in key order
// with cursor paging. A page's bounds are fixed before the first byte (so its next cursor can go
// in the headers), then rows are read in chunks and written with backpressure: memory stays
// bounded by the chunk size whatever the page size.
import type { Express, Request, Response } from "express";
import { stringify } from "csv-stringify";
import type { Db } from "../db/client.js";
import { correlationIdOf } from "../http/server.js";
import { keysetOrder, keysetWhere } from "./keyset.js";
import { logFor } from "../telemetry/log.js";

export type ExportRow = Record<string, unknown>;

/** A dataset a domain offers for export, read from its own tables in the order of its key. */
export interface ExportDataset {
  name: string;
  /** The scope a token needs to read it (the same as the graph's root fields of its data). */
  scope: string;
  /** Column names, in CSV order; the NDJSON objects have the same keys. */
  columns: readonly string[];
  /** The key columns, in order: rows are sorted by them and the cursor holds their values. */
  key: readonly string[];
  /** Columns that hold calendar dates (written YYYY-MM-DD, not as instants). */
  dateColumns?: readonly string[];
  /** The Prisma findMany of the dataset's table (db.order.findMany, say), called with keyset arguments. */
  find(db: Db, args: FindArgs): Promise<ExportRow[]>;
  /** What a full row selects (its columns minus derived ones). */
  select: Record<string, true>;
  /** Derived columns, computed from a selected row. */
  derive?: (row: ExportRow) => ExportRow;
}

export interface FindArgs {
  where: object;
  orderBy: object[];
  take: number;
  skip?: number;
  select: Record<string, true>;
}

type Range = { after: string[] | null; upTo: string[] | null };
const readRows = async (db: Db, d: ExportDataset, range: Range, take: number) => {
  const rows = await d.find(db, { where: keysetWhere(d.key, range), orderBy: keysetOrder(d.key), take, select: d.select });
  return d.derive ? rows.map(d.derive) : rows;
};
/** The keys of the rows at positions skip and skip + 1 after `after`: an index walk, no rows held in memory. */
const keysAt = (db: Db, d: ExportDataset, after: string[] | null, skip: number) =>
  d.find(db, {
    where: keysetWhere(d.key, { after, upTo: null }),
    orderBy: keysetOrder(d.key),
    skip,
    take: 2,
    select: Object.fromEntries(d.key.map((k) => [k, true as const])),
  });

export const EXPORT_DEFAULT_LIMIT = 10_000;
export const EXPORT_MAX_LIMIT = 1_000_000;
const CHUNK = 500;

const encodeCursor = (key: string[]) => Buffer.from(JSON.stringify(key)).toString("base64url");
function decodeCursor(text: string, size: number): string[] | null {
  try {
    const key = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    return Array.isArray(key) && key.length === size && key.every((k) => typeof k === "string") ? key : null;
  } catch {
    return null;
  }
}

/** Values as an analytics tool wants them: instants in ISO 8601, exact decimals and big integers as strings. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (value !== null && typeof value === "object" && "toFixed" in value) return String(value);
  return value;
}
const keyOf = (row: ExportRow, key: readonly string[]) => key.map((k) => String(plain(row[k])));

function problem(req: Request, res: Response, status: number, error: string, details: Record<string, unknown> = {}) {
  res.status(status).json({ error, ...details, correlationId: correlationIdOf(req) });
}

/** Writes a chunk and waits when the client reads slower than we produce. */
const write = (res: Response, text: string) => (res.write(text) ? Promise.resolve() : new Promise<void>((resolve) => res.once("drain", resolve)));

export function mountExportRoutes(app: Express, db: Db, datasets: readonly ExportDataset[]) {
  const byName = new Map(datasets.map((d) => [d.name, d]));
  app.get("/export/:dataset", async (req, res) => {
    const dataset = byName.get(req.params.dataset);
    if (!dataset) return problem(req, res, 404, `no dataset "${req.params.dataset}" (datasets: ${[...byName.keys()].join(", ")})`);
    const format = String(req.query.format ?? (req.accepts(["application/x-ndjson", "text/csv"]) === "text/csv" ? "csv" : "ndjson"));
    if (format !== "ndjson" && format !== "csv") return problem(req, res, 400, `format must be ndjson or csv, got "${format}"`, { parameter: "format" });
    const limitText = req.query.limit === undefined ? String(EXPORT_DEFAULT_LIMIT) : String(req.query.limit);
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > EXPORT_MAX_LIMIT)
      return problem(req, res, 400, `limit must be a whole number from 1 to ${EXPORT_MAX_LIMIT}, got "${limitText}"`, { parameter: "limit" });
    const after = req.query.after === undefined ? null : decodeCursor(String(req.query.after), dataset.key.length);
    if (req.query.after !== undefined && !after) return problem(req, res, 400, `after is not a cursor of the ${dataset.name} export`, { parameter: "after" });

    const dates = new Set(dataset.dateColumns ?? []);
    try {
      // The page's last key, and whether anything follows it: the only reads before the headers.
      // A page that holds everything left has no upper bound: rows appended meanwhile come with it.
      const bound = await keysAt(db, dataset, after, limit - 1);
      const more = bound.length === 2;
      const upTo = more ? keyOf(bound[0]!, dataset.key) : null;
      res.status(200);
      res.setHeader("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
      if (more && upTo) {
        const next = encodeCursor(upTo);
        res.setHeader("x-next-cursor", next);
        res.setHeader("link", `</export/${dataset.name}?format=${format}&limit=${limit}&after=${next}>; rel="next"`);
      }
      const csv =
        format === "csv"
          ? stringify({ header: true, columns: [...dataset.columns], cast: { boolean: (b) => String(b), object: (o) => JSON.stringify(o) } })
          : null;
      if (csv) {
        csv.on("data", (chunk: Buffer) => void res.write(chunk));
      }
      let cursor = after;
      let sent = 0;
      while (sent < limit) {
        const rows = await readRows(db, dataset, { after: cursor, upTo }, Math.min(CHUNK, limit - sent));
        if (!rows.length) break;
        for (const row of rows) {
          const out = Object.fromEntries(
            dataset.columns.map((c) => [c, dates.has(c) && row[c] instanceof Date ? (row[c] as Date).toISOString().slice(0, 10) : plain(row[c])]),
          );
          if (csv) {
            if (!csv.write(out)) await new Promise<void>((r) => csv.once("drain", r));
          } else await write(res, JSON.stringify(out) + "\n");
        }
        sent += rows.length;
        cursor = keyOf(rows.at(-1)!, dataset.key);
        if (res.writableNeedDrain) await new Promise<void>((r) => res.once("drain", r));
        if (res.destroyed) return; // the client went away: stop reading
      }
      if (csv) {
        await new Promise<void>((resolve) => {
          csv.once("end", resolve);
          csv.end();
        });
      }
      res.end();
    } catch (err) {
      logFor(correlationIdOf(req)).error({ dataset: dataset.name, error: String(err) }, "export failed");
      if (!res.headersSent) problem(req, res, 500, "internal error while exporting (logged on the server)");
      else res.destroy(); // a truncated body must not look complete
    }
  });
}
