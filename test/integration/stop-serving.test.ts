// stopServing (platform/http/shutdown.ts) on a real HTTP server: in-flight requests finish, a
// request that outlives the drain time is cut off and counted, idle keep-alive connections close.
import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { listen, serverUrl } from "../../platform/http/server.js";
import { stopServing } from "../../platform/http/shutdown.js";
import express from "express";

async function serverWithSlowRoute() {
  const app = express();
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  /** Resolves when the slow request is in its handler (in flight), not after a guessed pause. */
  const inHandler = new Promise<void>((r) => (arrived = r));
  app.get("/slow", async (_req, res) => {
    arrived();
    await released;
    res.json({ finished: true });
  });
  app.get("/fast", (_req, res) => void res.json({ ok: true }));
  const server = await listen(app, 0, "127.0.0.1");
  return { server, base: serverUrl(server), release, inHandler };
}

const request = (url: string, agent?: http.Agent) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      })
      .on("error", reject);
  });

describe("stopServing", () => {
  it("lets an in-flight request finish, refuses new connections meanwhile, and closes an idle keep-alive connection", async () => {
    const { server, base, release, inHandler } = await serverWithSlowRoute();
    const agent = new http.Agent({ keepAlive: true });
    expect((await request(`${base}/fast`, agent)).status).toBe(200); // leaves an idle keep-alive socket
    const slow = request(`${base}/slow`);
    await inHandler;
    let stopped = false;
    const stopping = stopServing(server, { delayMs: 0, drainMs: 60_000 }).then((r) => ((stopped = true), r));
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(Number(new URL(base).port), "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(false)));
      s.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(stopped).toBe(false);
    release();
    expect(await slow).toEqual({ status: 200, body: JSON.stringify({ finished: true }) });
    expect(await stopping).toEqual({ cutOff: 0 });
    agent.destroy();
  });

  it("cuts off a request still running at the drain deadline and says how many", async () => {
    const { server, base, inHandler } = await serverWithSlowRoute();
    const slow = request(`${base}/slow`).then(
      () => "answered",
      (e: NodeJS.ErrnoException) => e.code,
    );
    await inHandler;
    expect(await stopServing(server, { delayMs: 0, drainMs: 100 })).toEqual({ cutOff: 1 });
    expect(await slow).toBe("ECONNRESET");
  });
});
