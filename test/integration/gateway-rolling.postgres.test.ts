// Rolling a gateway replica behind the load balancer without dropping a request (issue 13): the
// checked-in deploy/haproxy.cfg (only its listen, server and resolver addresses rewritten for
// loopback) in front of two standalone gateway processes (dist/app/start-gateway.js) on one
// PostgreSQL database. A steady stream of GraphQL queries runs through HAProxy while gateway-1 gets
// SIGTERM: its readiness turns 503, HAProxy's health check takes it out within SHUTDOWN_DELAY_MS, a
// request in flight on it completes, its subscribers get 1001, it exits 0, and gateway-2 serves on.
// Needs Debian's haproxy binary (`apt-get install -y haproxy`; .ci/run installs it).
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, testSecurity, TEST_AUTH_SECRET, TEST_GATEWAY_SECRET } from "../helpers/auth.js";
import { exited, stopChild } from "../helpers/child-app.js";
import { compiledEntry } from "../helpers/compiled.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases.js";
import { testServerConfig } from "../helpers/embedded-app.js";
import { accepts, portOf } from "../helpers/tcp.js";
import { waitFor } from "../helpers/wait.js";
import { wsClient } from "../helpers/ws-client.js";
import { startSubgraphServer, type RunningSubgraph } from "../../app/subgraph-process.js";
import { subgraphUrlVariable } from "../../app/config.js";
import { subgraphNames } from "../../subgraphs/catalog.js";
import { projectPath } from "../../platform/project-root.js";

const QUERY = "{ locations { id } }";
/** Readiness stays 503 this long before the gateway refuses connections: three health-check intervals. */
const SHUTDOWN_DELAY_MS = 3000;
/** Bounds of the query stream, whatever happens: it stops by itself at either. */
const STREAM_MAX_REQUESTS = 1500;
const STREAM_MAX_MS = 30_000;
/** Answers wanted from requests started after gateway-1 exited. */
const AFTER_STOP = 40;

/** The haproxy binary on PATH or in Debian's sbin (not on a non-root PATH), or null. */
function findHaproxy(): string | null {
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((d) => path.join(d, "haproxy")).find(executable) ?? null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * deploy/haproxy.cfg for loopback: the frontend's bind, each server's address and the resolver's
 * nameserver rewritten, every other line (health check, timeouts, retries) as checked in.
 */
function loopbackConfig(listenPort: number, serverPorts: Record<string, number>, nameserverPort: number): string {
  const rewritten = { bind: 0, server: 0, nameserver: 0 };
  const text = fs
    .readFileSync(projectPath("deploy/haproxy.cfg"), "utf8")
    .split("\n")
    .map((line) => {
      let m: RegExpMatchArray | null;
      if ((m = line.match(/^(\s*bind\s+)\S*:\d+(.*)$/))) return (rewritten.bind++, `${m[1]}127.0.0.1:${listenPort}${m[2]}`);
      if ((m = line.match(/^(\s*server\s+(\S+)\s+)\S+(.*)$/))) {
        const port = serverPorts[m[2]];
        if (!port) throw new Error(`deploy/haproxy.cfg names a server this test does not run: ${line.trim()}`);
        return (rewritten.server++, `${m[1]}127.0.0.1:${port}${m[3]}`);
      }
      if ((m = line.match(/^(\s*nameserver\s+\S+\s+)\S+(.*)$/))) return (rewritten.nameserver++, `${m[1]}127.0.0.1:${nameserverPort}${m[2]}`);
      return line;
    })
    .join("\n");
  expect(rewritten, "the lines of deploy/haproxy.cfg this test rewrites").toEqual({ bind: 1, server: Object.keys(serverPorts).length, nameserver: 1 });
  return text;
}

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out };
}

async function startGatewayProcess(env: Record<string, string>): Promise<Proc & { url: string }> {
  const proc = spawnLogged(process.execPath, [compiledEntry("app/start-gateway.ts")], { ...process.env, ...env });
  const exitedEarly = exited(proc.child).then(() => {
    throw new Error(`gateway exited before starting:\n${proc.output()}`);
  });
  exitedEarly.catch(() => {});
  const url = await Promise.race([
    waitFor(async () => proc.output().match(/GraphQL gateway: (http:\/\/\S+\/graphql)/)?.[1], "the gateway to start", 60_000),
    exitedEarly,
  ]);
  return { ...proc, url };
}

/** One command to HAProxy's master CLI (haproxy -S), relayed to the worker; the answer's text. */
function haproxyCli(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socket);
    let out = "";
    s.on("data", (d) => {
      out += d;
      // The CLI ends an answer with an empty line and keeps the connection open.
      if (out.endsWith("\n\n")) {
        s.destroy();
        resolve(out);
      }
    });
    s.on("error", reject);
    s.on("close", () => resolve(out));
    s.write(`@1 ${command}\n`);
  });
}

/** Per server of the gateways backend: status (UP/DOWN) and current sessions, from `show stat`. */
async function backendServers(socket: string): Promise<Record<string, { status: string; sessions: number }>> {
  const [header, ...rows] = (await haproxyCli(socket, "show stat")).trim().split("\n");
  const columns = header.replace(/^# /, "").split(",");
  const col = (row: string[], name: string) => row[columns.indexOf(name)];
  return Object.fromEntries(
    rows
      .map((r) => r.split(","))
      .filter((r) => col(r, "pxname") === "gateways" && !["BACKEND", "FRONTEND"].includes(col(r, "svname")))
      .map((r) => [col(r, "svname"), { status: col(r, "status"), sessions: Number(col(r, "scur")) }]),
  );
}

/** A POST /graphql through a raw socket with half of its body sent; `finish` sends the rest. */
async function halfSentRequest(port: number, authorization: string) {
  const body = JSON.stringify({ query: QUERY });
  const half = Math.floor(body.length / 2);
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((r) => socket.once("connect", () => r()));
  let response = "";
  socket.on("data", (d) => (response += d));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  return {
    finish: () => socket.write(body.slice(half)),
    answer: () =>
      waitFor(async () => response.includes("\r\n\r\n") && response.includes('"locations"') && response, "the in-flight request's answer", 15_000)
        .catch((e) => {
          throw new Error(`${e.message}; received: ${JSON.stringify(response)}`);
        })
        .then((text) => {
          socket.destroy();
          return { status: Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1]), replica: text.match(/^x-gateway-replica: (\S+)\r$/im)?.[1], text };
        }),
  };
}

type Phase = "serving" | "stopping" | "stopped";

interface Answer {
  phase: Phase;
  status: number;
  replica: string | null;
  locations: number;
  problem?: string;
}

/**
 * GraphQL queries through the load balancer from a few concurrent clients, until `stop()` or the
 * bounds. Each answer records the phase of the roll its request started in.
 */
function queryStream(url: string, authorization: string, phase: () => Phase) {
  const answers: Answer[] = [];
  let stopped = false;
  let sent = 0;
  const deadline = Date.now() + STREAM_MAX_MS;
  const worker = async () => {
    while (!stopped && sent < STREAM_MAX_REQUESTS && Date.now() < deadline) {
      sent++;
      const started = phase();
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify({ query: QUERY }),
        });
        const text = await res.text();
        let body: { data?: { locations?: unknown[] }; errors?: unknown } = {};
        try {
          body = JSON.parse(text);
        } catch {
          /* recorded below as a problem */
        }
        const locations = body.data?.locations?.length ?? 0;
        const problem = res.status !== 200 || body.errors || !locations ? text.slice(0, 300) : undefined;
        answers.push({ phase: started, status: res.status, replica: res.headers.get("x-gateway-replica"), locations, problem });
      } catch (error) {
        answers.push({ phase: started, status: 0, replica: null, locations: 0, problem: String((error as Error).cause ?? error) });
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const done = Promise.all([worker(), worker(), worker(), worker()]);
  return {
    answers,
    done,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

describe.runIf(postgresAvailable())("rolling a gateway replica behind HAProxy (deploy/haproxy.cfg)", () => {
  const haproxy = findHaproxy();
  let database: TestDatabase;
  let subgraphs: RunningSubgraph[] = [];
  let gateways: Record<"gateway-1" | "gateway-2", Proc & { url: string }>;
  let lb: Proc | undefined;
  let lbUrl: string;
  let cliSocket: string;
  let dir: string;

  beforeAll(async () => {
    if (!haproxy)
      throw new Error(
        "haproxy is not installed: this test runs deploy/haproxy.cfg with Debian's haproxy binary. Install it with `apt-get install -y haproxy` (.ci/run does).",
      );
    database = await createTestDatabase("postgres", { demo: true });
    const security = testSecurity({ gatewaySecret: TEST_GATEWAY_SECRET });
    subgraphs = await Promise.all(subgraphNames.map((n) => startSubgraphServer(n, database, testServerConfig, {}, security)));
    const env = {
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: database.url!,
      AUTH_HS256_SECRET: TEST_AUTH_SECRET,
      GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      DRAIN_TIMEOUT_MS: "60000",
      LOG_LEVEL: "warn",
      // One token sends the whole stream; the per-caller limit is not what this test is about.
      RATE_LIMIT_PER_MINUTE: "1000000",
      RATE_LIMIT_BURST: "100000",
      ...Object.fromEntries(subgraphs.map((s) => [subgraphUrlVariable(s.name), s.url])),
    };
    const [one, two] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    gateways = { "gateway-1": one, "gateway-2": two };

    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-rolling-"));
    const lbPort = await freePort();
    const config = path.join(dir, "haproxy.cfg");
    fs.writeFileSync(config, loopbackConfig(lbPort, { "gateway-1": portOf(one.url), "gateway-2": portOf(two.url) }, await freePort()));
    cliSocket = path.join(dir, "master.sock");
    lb = spawnLogged(haproxy, ["-W", "-db", "-S", cliSocket, "-f", config]);
    lbUrl = `http://127.0.0.1:${lbPort}/graphql`;
    // Both replicas in rotation: their health checks (rise 2) passed.
    await waitFor(async () => {
      if (lb!.child.exitCode !== null) throw new Error(`haproxy exited:\n${lb!.output()}`);
      const servers = await backendServers(cliSocket).catch(() => null);
      return servers?.["gateway-1"]?.status === "UP" && servers["gateway-2"]?.status === "UP";
    }, "haproxy to see both gateways ready");
  });

  afterAll(async () => {
    for (const g of Object.values(gateways ?? {})) await stopChild(g.child, "SIGKILL");
    if (lb) await stopChild(lb.child, "SIGKILL");
    await Promise.all(subgraphs.map((s) => s.close()));
    await database?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers every query through the load balancer while gateway-1 is stopped, in-flight and later requests included", async () => {
    const authorization = await bearer();
    const one = gateways["gateway-1"];
    const onePort = portOf(one.url);
    const oneReady = one.url.replace(/\/graphql$/, "/health/ready");

    // A subscriber on gateway-1 itself, acknowledged by it.
    let closeCode: number | undefined;
    let acked = false;
    const ws = wsClient(one.url, undefined, { on: { connected: () => (acked = true), closed: (e) => (closeCode = (e as { code: number }).code) } });
    const subscription = ws.subscribe({ query: "subscription { orderStatusChanged { newStatus } }" }, { next: () => {}, error: () => {}, complete: () => {} });
    await waitFor(async () => acked, "the subscription's connection to be acknowledged");

    // Two requests through the load balancer with half their bodies sent: round robin puts one on
    // each replica, so one of them is in flight on gateway-1 when SIGTERM arrives.
    const lbPort = portOf(lbUrl);
    const inFlight = [await halfSentRequest(lbPort, authorization), await halfSentRequest(lbPort, authorization)];
    await waitFor(async () => {
      const servers = await backendServers(cliSocket);
      return servers["gateway-1"].sessions >= 1 && servers["gateway-2"].sessions >= 1;
    }, "one half-sent request to reach each replica");

    let phase: Phase = "serving";
    const stream = queryStream(lbUrl, authorization, () => phase);
    try {
      await waitFor(
        async () => new Set(stream.answers.map((a) => a.replica)).size === 2 && stream.answers.length >= 20,
        "the stream to be answered by both replicas",
      );

      phase = "stopping";
      one.child.kill("SIGTERM");
      // Readiness turns 503 while gateway-1 still accepts (SHUTDOWN_DELAY_MS): the 503 is its answer ...
      await waitFor(async () => (await fetch(oneReady).catch(() => null))?.status === 503, "gateway-1's readiness to turn 503");
      // ... then it refuses new connections, its subscribers told it is going away.
      await waitFor(async () => !(await accepts(onePort)), "gateway-1 to refuse new connections");
      await waitFor(async () => closeCode !== undefined, "the subscription's close");
      expect(closeCode).toBe(1001);

      // The requests in flight all along still get their full answers, gateway-1's included.
      expect(one.child.exitCode).toBeNull();
      for (const r of inFlight) r.finish();
      const finished = await Promise.all(inFlight.map((r) => r.answer()));
      expect(finished.map((f) => f.status)).toEqual([200, 200]);
      expect(finished.map((f) => f.replica).sort()).toEqual(["gateway-1", "gateway-2"]);

      await exited(one.child);
      expect(one.child.exitCode).toBe(0);
      expect(one.output()).toContain("stopped");
      phase = "stopped";
      await waitFor(async () => stream.answers.filter((a) => a.phase === "stopped").length >= AFTER_STOP, `${AFTER_STOP} answers after gateway-1 stopped`);
    } finally {
      subscription();
      await ws.dispose();
      await stream.stop();
    }

    // None dropped: every query of the stream answered 200 with data.
    const answers = stream.answers;
    expect(answers.filter((a) => a.problem)).toEqual([]);
    expect(answers.length).toBeGreaterThan(AFTER_STOP + 20);
    expect(answers.length).toBeLessThanOrEqual(STREAM_MAX_REQUESTS);
    // Before the stop both replicas served; after it, gateway-2 alone.
    expect(new Set(answers.filter((a) => a.phase === "serving").map((a) => a.replica))).toEqual(new Set(["gateway-1", "gateway-2"]));
    const after = answers.filter((a) => a.phase === "stopped");
    expect(after.length).toBeGreaterThanOrEqual(AFTER_STOP);
    expect(new Set(after.map((a) => a.replica))).toEqual(new Set(["gateway-2"]));
    // The health check took gateway-1 out on its 503 (not on a refused connection: it was out
    // before gateway-1 stopped accepting).
    expect(lb!.output()).toMatch(/Server gateways\/gateway-1 is DOWN, reason: Layer7 wrong status, code: 503/);
    expect(lb!.output()).not.toMatch(/gateway-1 is DOWN, reason: Layer4/);
    expect((await backendServers(cliSocket))["gateway-2"].status).toBe("UP");
  });
});
