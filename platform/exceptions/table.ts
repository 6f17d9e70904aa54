// A domain's exceptions kept on the rows of one of its tables (failed ERP postings, failed
// document deliveries): the columns exceptionState, exceptionRaisedAt, resolvedAt and
// resolutionNote that the exception-queue triggers maintain, read the same way whatever the
// table. The domain says how to select a row and how it reads as an exception; this lists, finds
// and pages them. Retrying and settling stay with the domain (each has its own worker).
import { Prisma } from "../db/generated/client.js";
import type { Db } from "../db/client.js";
import {
  exceptionConditions,
  exceptionNotFound,
  parseExceptionId,
  wanted,
  type ExceptionKind,
  type ExceptionPage,
  type ExceptionQuery,
  type ExceptionRecord,
} from "./queue.js";

export interface ExceptionTable<Row> {
  kind: ExceptionKind;
  /** The table's alias in `from`, whose "id" and exception columns are read. */
  alias: string;
  /** The selected columns (a row of type Row). */
  columns: Prisma.Sql;
  from: Prisma.Sql;
  /** The row's source (file, http, an ERP kind...), for the source filter. */
  source: Prisma.Sql;
  record(row: Row): ExceptionRecord;
}

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`true`);

export function exceptionTable<Row>(db: Db, t: ExceptionTable<Row>) {
  const col = (name: string) => Prisma.raw(`${t.alias}."${name}"`);
  const base = Prisma.sql`${col("exceptionState")} IS NOT NULL`;
  const cols = { raisedAt: col("exceptionRaisedAt"), state: col("exceptionState"), source: t.source, idSql: Prisma.raw(`'${t.kind}:' || ${t.alias}."id"`) }; // kind: one of EXCEPTION_KINDS

  async function get(id: string): Promise<ExceptionRecord | null> {
    const { kind, ownerId } = parseExceptionId(id);
    if (kind !== t.kind) return null;
    const [row] = await db.$queryRaw<Row[]>`SELECT ${t.columns} FROM ${t.from} WHERE ${col("id")} = ${ownerId} AND ${base}`;
    return row ? t.record(row) : null;
  }

  return {
    get,
    /** The exception, or EXCEPTION_NOT_FOUND. */
    async existing(id: string): Promise<ExceptionRecord> {
      const r = await get(id);
      if (!r) throw exceptionNotFound(id);
      return r;
    },
    async list(q: ExceptionQuery): Promise<ExceptionPage> {
      if (!wanted(q, t.kind)) return { rows: [], total: 0 };
      const [rows, [{ n }]] = await Promise.all([
        db.$queryRaw<Row[]>`SELECT ${t.columns} FROM ${t.from} WHERE ${and([base, ...exceptionConditions(q, cols)])}
          ORDER BY ${col("exceptionRaisedAt")} DESC, ${col("id")} COLLATE "C" DESC LIMIT ${q.limit}`,
        db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${t.from} WHERE ${and([base, ...exceptionConditions({ ...q, after: null }, cols)])}`,
      ]);
      return { rows: rows.map(t.record), total: n! };
    },
  };
}
