// A real HTTP proxy in front of a subgraph, to make it slow, failing or unreachable on purpose
// (the network's faults, not a mock of the service): "pass" forwards, "slow" forwards after a
// delay, "hold" keeps each request until release() forwards it (or the proxy closes: a timeout that
// does not depend on how fast the machine is), "fail" answers 502 without forwarding. It forwards
// the caller's headers (the gateway's credential, the identity) and counts the requests it saw.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyMode = { kind: "pass" } | { kind: "slow"; delayMs: number } | { kind: "hold" } | { kind: "fail" };

export interface FaultyProxy {
  url: string;
  mode: ProxyMode;
  target: string;
  correlationIds: string[];
  /** Requests received, in any mode. */
  requests: number;
  /** Requests kept by "hold" and not yet released. */
  held: number;
  /** Forwards every request "hold" kept. */
  release(): void;
  close(): Promise<void>;
}

export async function startFaultyProxy(target = ""): Promise<FaultyProxy> {
  let waiting: (() => void)[] = [];
  const proxy: FaultyProxy = {
    url: "",
    mode: { kind: "pass" },
    target,
    correlationIds: [],
    requests: 0,
    get held() {
      return waiting.length;
    },
    release: () => {
      const go = waiting;
      waiting = [];
      for (const g of go) g();
    },
    close: async () => {},
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    proxy.requests++;
    const id = req.headers["x-correlation-id"];
    if (typeof id === "string") proxy.correlationIds.push(id);
    const mode = proxy.mode;
    if (mode.kind === "fail") {
      res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
      return;
    }
    // Until release(); if the caller's timeout comes first, close() drops the connection.
    if (mode.kind === "hold") await new Promise<void>((r) => waiting.push(r));
    if (mode.kind === "slow") await new Promise((r) => setTimeout(r, mode.delayMs));
    try {
      const upstream = await fetch(proxy.target, {
        method: "POST",
        headers: { ...forwardable(req.headers), "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = () => new Promise((r) => (server.closeAllConnections(), server.close(() => r())));
  return proxy;
}

/** The caller's headers, minus those that describe this hop (host, length, connection). */
function forwardable(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === "string" && !["host", "content-length", "connection"].includes(e[0])),
  );
}
