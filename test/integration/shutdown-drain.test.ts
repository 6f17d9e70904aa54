// How a server process stops (issue 13 item 2): a graceful stop turns readiness 503 first, refuses new
// connections, lets a request already in flight complete, and closes subscriptions with 1001.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { exited, startChildApp, stopChild, type ChildApp } from "../helpers/child-app.js";
import { waitFor } from "../helpers/wait.js";
import { accepts, portOf } from "../helpers/tcp.js";
import { bearer, TEST_AUTH_SECRET } from "../helpers/auth.js";

describe("stopping a server process", () => {
  let app: ChildApp | undefined;
  afterEach(async () => {
    if (app) await stopChild(app.process, "SIGKILL");
    app = undefined;
  });

  it("drains: readiness 503 at once, new connections refused, the in-flight request completes, subscribers get 1001", async () => {
    // SHUTDOWN_DELAY_MS keeps accepting for a moment after readiness turns 503, as a load balancer
    // needs; the test waits for each phase rather than for a time.
    // Tokens signed with the test secret (test/helpers/auth.ts) are the child's tokens too.
    app = await startChildApp({ DATA_DIR: "memory", SHUTDOWN_DELAY_MS: "4000", DRAIN_TIMEOUT_MS: "60000", AUTH_HS256_SECRET: TEST_AUTH_SECRET });
    const authorization = await bearer();
    const { url } = app;
    const port = portOf(url);
    const health = url.replace(/\/graphql$/, "/health");
    expect((await fetch(health)).status).toBe(200);

    // A subscriber, acknowledged.
    const ws = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
    const acked = new Promise<void>((resolve) => ws.on("message", (m) => JSON.parse(String(m)).type === "connection_ack" && resolve()));
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: { authorization } })));
    await acked;
    const wsClosed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));

    // A request in flight: headers and half of the body sent, the rest held back.
    const body = JSON.stringify({ query: "{ locations { id } }" });
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((r) => socket.once("connect", () => r()));
    let response = "";
    socket.on("data", (d) => (response += d));
    const socketClosed = new Promise<void>((r) => socket.once("close", () => r()));
    const half = Math.floor(body.length / 2);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );

    app.process.kill("SIGTERM");
    // 1. Readiness turns 503 while the server still accepts (the delay).
    await waitFor(async () => (await fetch(health).catch(() => null))?.status === 503, "readiness to turn 503");
    // 2. Then new connections are refused.
    await waitFor(async () => !(await accepts(port)), "new connections to be refused");
    expect(await wsClosed).toBe(1001);
    // 3. The request that was in flight all along still gets its full answer.
    expect(app.process.exitCode).toBeNull();
    socket.write(body.slice(half));
    await waitFor(async () => response.includes("\r\n\r\n") && response.includes('"locations"'), "the in-flight request's answer");
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    // The server then closes that keep-alive connection itself (the client's next request goes elsewhere).
    await socketClosed;
    await exited(app.process);
    expect(app.process.exitCode).toBe(0);
    expect(app.output()).toContain("stopped");
  });
});
