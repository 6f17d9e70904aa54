// The gateway's opt-in and per-caller controls on a small app (no demo data): trusted documents
// (registered operations only, by text or by hash), the rate limit per identity (429 with
// Retry-After under a burst, other callers unaffected), introspection turned off, and a token
// verified against a JWKS served over HTTP (RS256 via AUTH_JWKS_URL).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { gql } from "../helpers/graphql.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { signTestToken, testSecurity } from "../helpers/auth.js";
import { operationsOf } from "../../scripts/register-documents.js";
import { documentHash } from "../../gateway/security/trusted-documents.js";

const registered = `query ProductCount { products(first: 1) { totalCount } }`;
const introspection = `query Introspect { __schema { queryType { name } } }`;

describe("trusted documents, rate limits, introspection and JWKS keys", () => {
  let t: TestApp;
  let url: string;
  let jwks: http.Server;
  let privateKey: CryptoKey;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trusted-"));
  const manifestFile = path.join(dir, "trusted-documents.json");

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
    jwks = http.createServer((_req, res) => res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", r));
    const ops = operationsOf([registered, introspection]);
    fs.writeFileSync(
      manifestFile,
      JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations: ops.map((op) => ({ id: documentHash(op.body), ...op })) }),
    );
    const security = testSecurity(
      {},
      {
        TRUSTED_DOCUMENTS: "enforce",
        TRUSTED_DOCUMENTS_FILE: manifestFile,
        // One a minute: the refill during the burst is negligible however slow the machine.
        RATE_LIMIT_PER_MINUTE: "1",
        RATE_LIMIT_BURST: "5",
        INTROSPECTION: "false",
        AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`,
      },
    );
    t = await startTestApp("pglite", { demo: false, security });
    url = t.app.url;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => jwks?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs a registered operation by its text (any formatting) or by its hash alone, and refuses anything else", async () => {
    const token = await signTestToken({ sub: "trusted-1" });
    const auth = { authorization: `Bearer ${token}` };
    const byText = await gql(url, `query ProductCount {\n  products(first: 1) {\n    totalCount\n  }\n}`, undefined, auth);
    expect(byText.errors).toBeUndefined();
    expect(byText.data.products.totalCount).toBe(0);
    const [op] = operationsOf([registered]);
    const byHash = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(op.body) } } }),
    });
    expect(((await byHash.json()) as any).data.products.totalCount).toBe(0);
    const unknown = await gql(url, `{ products(first: 2) { totalCount } }`, undefined, auth);
    expect(unknown.status).toBe(400);
    expect(unknown.errors![0].extensions!.code).toBe("DOCUMENT_NOT_TRUSTED");
    const unknownHash = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }),
    });
    expect(unknownHash.status).toBe(400);
  });

  it("answers a burst beyond the caller's allowance with 429 and Retry-After, and other callers still pass", async () => {
    const burster = { authorization: `Bearer ${await signTestToken({ sub: "burster" })}` };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await gql(url, registered, undefined, burster)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await gql(url, registered, undefined, burster);
    expect(limited.errors![0].extensions!.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const other = await gql(url, registered, undefined, { authorization: `Bearer ${await signTestToken({ sub: "someone-else" })}` });
    expect(other.status).toBe(200);
  });

  it("refuses introspection when it is turned off", async () => {
    // Registered on purpose, so the refusal is introspection's, not the trusted documents'.
    const res = await gql(url, introspection, undefined, { authorization: `Bearer ${await signTestToken({ sub: "introspector" })}` });
    expect(res.data).toBeUndefined();
    expect(res.errors![0].message).toMatch(/introspection is not allowed/i);
  });

  it("accepts an RS256 token whose key comes from the JWKS URL, and refuses one signed by another key", async () => {
    const sign = (key: CryptoKey) =>
      new SignJWT({ scope: "inventory:read" }).setProtectedHeader({ alg: "RS256", kid: "key-1" }).setSubject("rs-user").setExpirationTime("5m").sign(key);
    const ok = await gql(url, registered, undefined, { authorization: `Bearer ${await sign(privateKey)}` });
    expect(ok.status).toBe(200);
    const other = await generateKeyPair("RS256");
    const bad = await gql(url, registered, undefined, { authorization: `Bearer ${await sign(other.privateKey as CryptoKey)}` });
    expect(bad.status).toBe(401);
  });
});
