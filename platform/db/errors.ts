// What went wrong in the database, in terms a caller can act on. PostgreSQL reports a SQLSTATE;
// Prisma wraps it differently per API (raw queries, model queries, driver adapter errors), so the
// code is looked for wherever it may be. Transient failures are worth retrying as they are.
export type DbFailureKind = "lock-timeout" | "statement-timeout" | "conflict" | "unavailable" | "other";

export interface DbFailure {
  kind: DbFailureKind;
  /** SQLSTATE when one was found. */
  code: string | null;
}

const byCode: Record<string, DbFailureKind> = {
  "55P03": "lock-timeout", // lock_not_available (lock_timeout, NOWAIT)
  "57014": "statement-timeout", // query_canceled (statement_timeout)
  "40001": "conflict", // serialization_failure
  "40P01": "conflict", // deadlock_detected
  "57P01": "unavailable", // admin_shutdown
  "57P02": "unavailable",
  "57P03": "unavailable", // cannot_connect_now
  "08000": "unavailable",
  "08003": "unavailable",
  "08006": "unavailable",
  "53300": "unavailable", // too_many_connections
};

const connectionErrors =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|Can't reach database|timeout exceeded when trying to connect|PGlite is closed|Transaction API error: Transaction already closed/i;
const prismaTransactionTimeout = /Transaction already closed|expired transaction|Unable to start a transaction in the given time/i;

function sqlStateOf(err: unknown, depth = 0): string | null {
  if (!err || typeof err !== "object" || depth > 4) return null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- driver errors differ in shape; each candidate is checked below
  const e = err as Record<string, any>;
  for (const candidate of [e.meta?.code, e.originalCode, e.cause?.originalCode, e.meta?.driverAdapterError?.cause?.originalCode, e.code]) {
    if (typeof candidate === "string" && /^[0-9A-Z]{5}$/.test(candidate) && !/^P\d{4}$/.test(candidate)) return candidate;
  }
  const fromText = /Code: `([0-9A-Z]{5})`/.exec(String(e.message ?? ""))?.[1];
  if (fromText) return fromText;
  return sqlStateOf(e.cause, depth + 1);
}

export function classifyDbError(err: unknown): DbFailure {
  const code = sqlStateOf(err);
  if (code && byCode[code]) return { kind: byCode[code], code };
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  if (/lock timeout|canceling statement due to lock timeout/i.test(text)) return { kind: "lock-timeout", code };
  if (/statement timeout/i.test(text)) return { kind: "statement-timeout", code };
  if (prismaTransactionTimeout.test(text)) return { kind: "statement-timeout", code };
  if (connectionErrors.test(text)) return { kind: "unavailable", code };
  return { kind: "other", code };
}

export const isTransient = (f: DbFailure) => f.kind !== "other";

/** A sentence for the caller; never the database's own text, which can hold SQL and file paths. */
export function describeDbFailure(f: DbFailure): string {
  switch (f.kind) {
    case "lock-timeout":
      return "the data this message changes is locked by another database session";
    case "statement-timeout":
      return "the database took longer than its statement timeout";
    case "conflict":
      return "a concurrent change to the same data got in the way";
    case "unavailable":
      return "the database is unavailable";
    case "other":
      return "an unexpected database error occurred";
  }
}
