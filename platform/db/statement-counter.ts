// Counts SQL statements at the driver adapter, below Prisma, so a test can prove that batching
// keeps the number of statements per request constant. Wraps any adapter factory transparently.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

export interface StatementLog {
  count: number;
  statements: string[];
  /** Keep the SQL text too (tests); counting alone is cheap enough for production. */
  keepText: boolean;
}

export function createStatementLog(keepText = false): StatementLog {
  return { count: 0, statements: [], keepText };
}

function record(log: StatementLog, query: SqlQuery) {
  log.count++;
  if (log.keepText) log.statements.push(query.sql);
}

function wrapQueryable<T extends SqlDriverAdapter | Transaction>(target: T, log: StatementLog): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === "queryRaw" || prop === "executeRaw") {
        return (query: SqlQuery) => {
          record(log, query);
          return (value as (q: SqlQuery) => unknown).call(obj, query);
        };
      }
      if (prop === "startTransaction") {
        return async (...args: unknown[]) => wrapQueryable(await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args), log);
      }
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}

export function countStatements(factory: SqlMigrationAwareDriverAdapterFactory, log: StatementLog): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrapQueryable(await factory.connect(), log),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
