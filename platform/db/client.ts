// The Prisma client over the configured store. One client per process; every subgraph in the
// process shares it but touches only its own domain's models.
import { PrismaClient } from "./generated/client.js";
import type { Store } from "./adapter.js";
import { countStatements, type StatementLog } from "./statement-counter.js";

export type Db = PrismaClient;

export function createPrismaClient(store: Store, statementLog?: StatementLog): Db {
  const adapter = statementLog ? countStatements(store.factory, statementLog) : store.factory;
  return new PrismaClient({ adapter });
}
