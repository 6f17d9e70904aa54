// A real HTTP proxy in front of a subgraph, to make it slow, failing or unreachable on purpose
// (the network's faults, not a mock of the service): "pass" forwards, "slow" forwards after a
// delay, "hold" never answers (until the proxy closes: a timeout that does not depend on how fast
// the machine is), "fail" answers 502 without forwarding. It records the correlation ids it saw.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyMode = { kind: "pass" } | { kind: "slow"; delayMs: number } | { kind: "hold" } | { kind: "fail" };

export interface FaultyProxy {
  url: string;
  mode: ProxyMode;
  target: string;
  correlationIds: string[];
  close(): Promise<void>;
}

export async function startFaultyProxy(target = ""): Promise<FaultyProxy> {
  const proxy: FaultyProxy = { url: "", mode: { kind: "pass" }, target, correlationIds: [], close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const id = req.headers["x-correlation-id"];
    if (typeof id === "string") proxy.correlationIds.push(id);
    const mode = proxy.mode;
    if (mode.kind === "fail") {
      res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
      return;
    }
    if (mode.kind === "hold") return; // the caller's timeout decides; close() drops the connection
    if (mode.kind === "slow") await new Promise((r) => setTimeout(r, mode.delayMs));
    try {
      const upstream = await fetch(proxy.target, {
        method: "POST",
        headers: { "content-type": "application/json", ...(typeof id === "string" && { "x-correlation-id": id }) },
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
