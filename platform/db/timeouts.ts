// How long one statement may run and how long it may wait for a lock before PostgreSQL gives up.
// Without them a session holding a lock (a long report, a LOCK TABLE by hand) stalls every writer
// that needs the same rows for as long as it holds them; with them the writer fails fast, and the
// caller retries with backoff. PGlite is one connection in one process: no other session can hold
// a lock there, and its statements are not interrupted, so these apply to PostgreSQL only.

export interface DatabaseTimeouts {
  /** DB_STATEMENT_TIMEOUT: longest a statement may run (default 30 s). */
  statementTimeoutMs: number;
  /** DB_LOCK_TIMEOUT: longest a statement may wait for a row or table lock (default 5 s). */
  lockTimeoutMs: number;
  /** DB_CONNECT_TIMEOUT: longest to wait for a connection from the server (default 10 s). */
  connectTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000 };
