// GRAPHQL_BATCH_MAX at values other than the default, through a real HTTP server and a real Apollo
// Server mounted the way the public gateway is (mountGraphQL with publicEndpoint): a batch up to
// the maximum runs, one more is refused before any operation runs, and 0 turns batching off while
// single operations still work. The default (10) is covered against the whole graph in graph-suite.
import type http from "node:http";
import { ApolloServer } from "@apollo/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, createHttpApp, listen, mountGraphQL, serverUrl } from "../../platform/http/server.js";
import { createMemoryGuard } from "../../platform/limits/memory-guard.js";

async function serveWithBatchMax(batchMax: number) {
  let ran = 0;
  const server = new ApolloServer({
    typeDefs: "type Query { n: Int } type Mutation { bump: Int }",
    resolvers: { Query: { n: () => ran }, Mutation: { bump: () => ++ran } },
    allowBatchedHttpRequests: true,
  });
  await server.start();
  const app = createHttpApp({ corsOrigins: [], bodyLimit: "1mb" });
  mountGraphQL(app, {
    path: "/graphql",
    server,
    context: async () => ({}),
    bodyLimit: "1mb",
    bodyLimitVariable: "BODY_LIMIT",
    memory: createMemoryGuard(1),
    publicEndpoint: { batchMax, corsOrigins: [] },
  });
  const http = await listen(app, 0, "127.0.0.1");
  return { http, apollo: server, url: `${serverUrl(http)}/graphql`, ran: () => ran };
}

const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const bumps = (n: number) => Array.from({ length: n }, () => ({ query: "mutation { bump }" }));

describe("GRAPHQL_BATCH_MAX over HTTP", () => {
  const servers: { http: http.Server; apollo: ApolloServer }[] = [];
  afterAll(async () => {
    for (const s of servers) {
      await closeServer(s.http);
      await s.apollo.stop();
    }
  });

  describe("at 3", () => {
    let s: Awaited<ReturnType<typeof serveWithBatchMax>>;
    beforeAll(async () => void servers.push((s = await serveWithBatchMax(3))));

    it("runs a batch of 3 in order, and refuses 4 before running any of them", async () => {
      const ok = await post(s.url, bumps(3));
      expect(ok.status).toBe(200);
      expect((await ok.json()).map((a: { data: { bump: number } }) => a.data.bump)).toEqual([1, 2, 3]);
      const refused = await post(s.url, bumps(4));
      expect(refused.status).toBe(400);
      const body = await refused.json();
      expect(body.errors[0]).toMatchObject({ extensions: { code: "BATCH_TOO_LARGE", limit: 3, value: 4 } });
      expect(body.errors[0].message).toBe("A batch holds 4 operations; at most 3 are allowed per request (GRAPHQL_BATCH_MAX)");
      expect(s.ran()).toBe(3);
    });

    it("refuses an empty batch", async () => {
      const res = await post(s.url, []);
      expect(res.status).toBe(400);
      expect((await res.json()).errors[0].message).toBe("A batch must hold at least one operation");
    });
  });

  describe("at 0 (batching off)", () => {
    let s: Awaited<ReturnType<typeof serveWithBatchMax>>;
    beforeAll(async () => void servers.push((s = await serveWithBatchMax(0))));

    it("refuses even a batch of one, saying batching is off, and still answers a single operation", async () => {
      const refused = await post(s.url, bumps(1));
      expect(refused.status).toBe(400);
      expect((await refused.json()).errors[0]).toMatchObject({
        message: expect.stringContaining("Batched requests are turned off on this server (GRAPHQL_BATCH_MAX=0)"),
        extensions: { code: "BATCH_TOO_LARGE", limit: 0, value: 1 },
      });
      expect(s.ran()).toBe(0);
      const single = await post(s.url, { query: "mutation { bump }" });
      expect(single.status).toBe(200);
      expect((await single.json()).data.bump).toBe(1);
    });
  });
});
