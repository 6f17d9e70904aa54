// The HTTP surface every server shares: correlation ids and CORS limited to configured origins.
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeServer, createHttpApp, listen, serverUrl } from "../../platform/http/server.js";
import { mountErrorHandlers } from "../../platform/http/errors.js";

describe("HTTP surface", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = createHttpApp({ corsOrigins: ["https://dashboard.example"], bodyLimit: "1mb" });
    app.post("/echo", (_req, res) => void res.json({ ok: true }));
    app.get("/boom", () => {
      throw new Error("ENOENT: no such file /srv/app/secrets.json");
    });
    mountErrorHandlers(app);
    server = await listen(app, 0, "127.0.0.1");
    base = serverUrl(server);
  });
  afterAll(async () => closeServer(server));

  it("returns the caller's correlation id, or a new one when it is missing or unsafe", async () => {
    const given = await fetch(`${base}/echo`, { method: "POST", headers: { "x-correlation-id": "order-sync-42" } });
    expect(given.headers.get("x-correlation-id")).toBe("order-sync-42");
    const missing = await fetch(`${base}/echo`, { method: "POST" });
    expect(missing.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await fetch(`${base}/echo`, { method: "POST", headers: { "x-correlation-id": "x".repeat(200) } });
    expect(unsafe.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("allows browser calls only from configured origins", async () => {
    const allowed = await fetch(`${base}/echo`, {
      method: "OPTIONS",
      headers: { origin: "https://dashboard.example", "access-control-request-method": "POST" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dashboard.example");
    const other = await fetch(`${base}/echo`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a preflight from an origin that is not allowed with a 403 naming the origin and the setting", async () => {
    const res = await fetch(`${base}/echo`, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const body = await res.json();
    expect(body.error.code).toBe("CORS_ORIGIN_NOT_ALLOWED");
    expect(body.error.message).toContain("http://localhost:5173");
    expect(body.error.message).toContain("CORS_ORIGINS (allowed: https://dashboard.example)");
  });

  it("answers an unexpected exception with a JSON 500 naming the correlation id; the original goes to the log", async () => {
    // Server logs are JSON lines on stdout (pino).
    const log = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const res = await fetch(`${base}/boom`, { headers: { "x-correlation-id": "boom-1" } });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secrets.json");
      expect(JSON.parse(text)).toEqual({ code: "INTERNAL_SERVER_ERROR", message: expect.stringContaining("boom-1"), correlationId: "boom-1" });
      expect(log.mock.calls.some((c) => String(c[0]).includes("boom-1") && String(c[0]).includes("secrets.json"))).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});
