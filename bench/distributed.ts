// The distributed deployment shape for the benches that measure it (peer-gateway, memory,
// scaling): a throwaway PostgreSQL server with the demo data set (npm run db:seed), the five
// subgraph processes and gateway processes, all from the compiled output (dist/, built first when
// stale), each its own process, authentication and rate limits off so the pipeline is measured.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findPostgresBin, startPostgres, type PostgresServer } from "../test/helpers/postgres-server.js";
import { subgraphNames, type SubgraphName } from "../subgraphs/catalog.js";
import { projectPath } from "../platform/project-root.js";
import { composeOwnSupergraph } from "../app/supergraph.js";
import { postgresPids } from "./proc-cpu.js";
import { stopProcess } from "./ingest-replicas.js";

/** Processes started with authentication and the rate limit out of the way: the pipeline is measured. */
export const OPEN = { AUTH_DISABLED: "true", RATE_LIMIT_PER_MINUTE: "1000000000", RATE_LIMIT_BURST: "1000000", LOG_LEVEL: "warn" };
/** What our processes print when they serve: subgraphs, the standalone gateway, the embedded app. */
export const SUBGRAPH_URL = /: (http:\/\/\S+\/graphql)/;
export const GATEWAY_URL = /GraphQL gateway[^:]*: (http:\/\/\S+\/graphql)/;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

export interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
}

/** Spawns a process and resolves with the URL it prints (matched by `pattern`) once it answers a query. */
export async function startProc(name: string, command: string, args: string[], env: Record<string, string>, pattern: RegExp | string): Promise<Proc> {
  const child = spawn(command, args, { cwd: projectPath(), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${out}`);
    const url = typeof pattern === "string" ? pattern : pattern.exec(out)?.[1];
    if (url) {
      const ok = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { name, child, url };
    }
    if (Date.now() - started > 120_000) {
      child.kill("SIGKILL");
      throw new Error(`${name} not answering in 120 s: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM, then SIGKILL after 30 s; resolves when the process has exited (the ingestion bench's helper). */
export const stopProc: (p: Proc) => Promise<void> = stopProcess;

export interface Distributed {
  databaseUrl: string;
  /** The first process of each subgraph (the one the default supergraph points at). */
  subgraphs: Record<SubgraphName, Proc>;
  /** Every process started through this object, gateways included, in start order. */
  procs: Proc[];
  /** A scratch directory removed by stop(). */
  work: string;
  /** A supergraph file (our composition) with these subgraph URLs; by default the first processes'. */
  supergraphFile(urls?: Record<SubgraphName, string>): string;
  /** Another process of one subgraph on the same database. */
  startSubgraph(name: SubgraphName, label?: string): Promise<Proc>;
  /** Our standalone gateway (dist/app/start-gateway.js) on a supergraph file; extra env on top of OPEN. */
  startGateway(name: string, supergraphFile: string, env?: Record<string, string>): Promise<Proc>;
  /** PostgreSQL's server and backend pids, for CPU readings. */
  postgresPids(): number[];
  stop(): Promise<void>;
}

/** Builds when stale, starts PostgreSQL, seeds the demo data and starts one process per subgraph. */
export async function startDistributed(): Promise<Distributed> {
  execFileSync(process.execPath, [projectPath("scripts", "build.mjs"), "--if-stale"], { stdio: "inherit" });
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql, or PG_BIN)");
  const pg: PostgresServer = await startPostgres(bin);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-distributed-"));
  const procs: Proc[] = [];
  const databaseUrl = pg.url("postgres");
  let files = 0;
  const d: Distributed = {
    databaseUrl,
    subgraphs: {} as Record<SubgraphName, Proc>,
    procs,
    work,
    supergraphFile(urls = Object.fromEntries(subgraphNames.map((n) => [n, d.subgraphs[n].url])) as Record<SubgraphName, string>) {
      const file = path.join(work, `supergraph-${files++}.graphql`);
      fs.writeFileSync(file, composeOwnSupergraph(urls));
      return file;
    },
    async startSubgraph(name, label = `subgraph ${name}`) {
      const p = await startProc(
        label,
        process.execPath,
        [projectPath("dist", "app", "start-subgraph.js"), name],
        { ...OPEN, DATABASE_URL: databaseUrl, MIGRATE: "off", PORT: "0" },
        SUBGRAPH_URL,
      );
      procs.push(p);
      return p;
    },
    async startGateway(name, supergraphFile, env = {}) {
      const p = await startProc(
        name,
        process.execPath,
        [projectPath("dist", "app", "start-gateway.js")],
        { ...OPEN, SUPERGRAPH_FILE: supergraphFile, PORT: "0", DATABASE_URL: "", ...env },
        GATEWAY_URL,
      );
      procs.push(p);
      return p;
    },
    postgresPids: () => postgresPids(Number(new URL(databaseUrl).port)),
    async stop() {
      await Promise.all([...procs].reverse().map(stopProc));
      await pg.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
  try {
    execFileSync(process.execPath, [projectPath("dist", "scripts", "seed-demo.js")], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
    for (const name of subgraphNames) d.subgraphs[name] = await d.startSubgraph(name);
  } catch (err) {
    await d.stop();
    throw err;
  }
  return d;
}
