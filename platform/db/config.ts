// Where the data lives: DATABASE_URL=postgresql://… selects a PostgreSQL server, otherwise an
// embedded PGlite database in DATA_DIR (default ./data). Read here once, nowhere else.
import path from "node:path";

export type StoreConfig =
  /** loadDataDir: start from a dump made with PGlite's dumpDataDir() (tests start from a seeded one). */
  { kind: "pglite"; dataDir: string | null; loadDataDir?: Blob } | { kind: "postgres"; url: string };

export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must start with postgresql:// (got "${url.slice(0, 20)}…"); unset it to use the embedded store`);
    }
    return { kind: "postgres", url };
  }
  // DATA_DIR=memory keeps the embedded database in memory (tests, throwaway demos).
  const dir = env.DATA_DIR?.trim() || "./data";
  return { kind: "pglite", dataDir: dir === "memory" ? null : path.resolve(dir) };
}

export function describeStore(config: StoreConfig): string {
  if (config.kind === "postgres") return `PostgreSQL ${config.url.replace(/:[^:@/]+@/, ":***@")}`;
  return config.dataDir ? `PGlite (embedded) in ${config.dataDir}` : "PGlite (embedded, in memory)";
}
