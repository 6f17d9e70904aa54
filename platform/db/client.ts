// The Prisma client over the configured store. One client per process; every subgraph in the
// process shares it but touches only its own domain's models.
import { PrismaClient } from "./generated/client.js";
import type { Store } from "./adapter.js";
import { countStatements, type StatementLog } from "./statement-counter.js";

export type Db = PrismaClient;

const SINGLE_CONNECTION = Symbol.for("distribution-graph.db.single-connection");

export function createPrismaClient(store: Store, statementLog?: StatementLog): Db {
  const adapter = statementLog ? countStatements(store.factory, statementLog) : store.factory;
  const db = new PrismaClient({ adapter });
  if (store.pglite) Object.defineProperty(db, SINGLE_CONNECTION, { value: true });
  return db;
}

/**
 * True for a client of the embedded store (PGlite): one connection, on which a statement outside a
 * transaction never runs while a transaction is open, so it cannot observe one in flight.
 */
export const isSingleConnection = (db: object): boolean => (db as { [SINGLE_CONNECTION]?: boolean })[SINGLE_CONNECTION] === true;
