// The browser IDE: GraphiQL served by the gateway from the locally built bundle, loading nothing
// from another host (a machine with no internet gets a working IDE); Apollo Sandbox and no page as
// options. Needs the built web apps (npm run build:web, part of npm install and npm run build).
import { bearer, testSecurity } from "../helpers/auth.js";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "../../gateway/standalone.js";
import { webBuildDir, type IdeChoice } from "../../gateway/ide.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { subscriptionOptionsFromEnv } from "../../app/config.js";
import { subscriptionSpecs } from "../../app/subscription-specs.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";
import { testServerConfig } from "../helpers/embedded-app.js";
import { endpointFor } from "../../web/graphiql/endpoint.js";

// Hosts whose URLs appear in the bundled libraries as identifiers or as links a person may click
// (XML and JSON-schema namespaces, React's error decoder, editor help links, licences): strings,
// never fetched. A host not listed here fails the test, so a CDN load cannot slip in unnoticed.
const referenceHosts = new Set([
  "www.w3.org",
  "json-schema.org",
  "react.dev",
  "github.com",
  "code.visualstudio.com",
  "microsoft.com",
  "prettier.io",
  "commonmark.org",
  "en.wikipedia.org",
  "yarnpkg.com",
]);
const cdnHosts = /unpkg\.com|jsdelivr\.net|esm\.sh|cdnjs\.cloudflare\.com|fonts\.(googleapis|gstatic)\.com|apollographql\.com|skypack\.dev/;

const unreachable = Object.fromEntries(subgraphNames.map((n) => [n, `http://127.0.0.1:9/${n}/graphql`])) as Record<SubgraphName, string>;
const subscriptionOptions = { ...subscriptionOptionsFromEnv({}), bufferLimit: 10, replayLimit: 10, pollIntervalMs: 60_000 };
const startWith = (ide: IdeChoice) =>
  startGateway({
    supergraphSdl: composeOwnSupergraph(unreachable),
    config: testServerConfig,
    database: null,
    subscriptionSpecs,
    subscriptionOptions,
    ide,
    security: testSecurity(),
  });
const asBrowser = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

function builtFiles(dir = webBuildDir()): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? builtFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("the browser IDE", () => {
  let gateway: RunningGateway;
  let origin: string;
  beforeAll(async () => {
    if (!fs.existsSync(path.join(webBuildDir(), "graphiql", "index.html"))) throw new Error(`GraphiQL is not built in ${webBuildDir()}: run npm run build:web`);
    gateway = await startWith("graphiql");
    origin = new URL(gateway.url).origin;
  });
  afterAll(async () => gateway?.close());

  it("is GraphiQL at /graphql for a browser, its page referring only to this server", async () => {
    const res = await fetch(gateway.url, { headers: asBrowser });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).not.toMatch(/https?:\/\//);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(2); // the app's script and stylesheet at least
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^\/web\/assets\//);
      const asset = await fetch(new URL(ref, origin));
      expect(asset.status, ref).toBe(200);
      expect(asset.headers.get("cache-control")).toContain("immutable");
    }
    // A browser opening the server's root is sent to the IDE.
    const root = await fetch(`${origin}/`, { redirect: "manual", headers: asBrowser });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/graphql");
  });

  it("serves every built asset itself, and none of them loads anything from another host", async () => {
    const files = builtFiles().filter((f) => !path.basename(f).startsWith("."));
    expect(files.some((f) => /graphql\.worker-.*\.js$/.test(f))).toBe(true); // the editor's workers are bundled, not fetched
    const foreignHosts = new Set<string>();
    for (const file of files) {
      const rel = path.relative(webBuildDir(), file).split(path.sep).join("/");
      const res = await fetch(`${origin}/web/${rel}`);
      expect(res.status, rel).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(fs.readFileSync(file)), rel).toBe(true);
      if (!/\.(js|css|html)$/.test(file)) continue;
      const text = body.toString("utf8");
      expect(text, rel).not.toMatch(cdnHosts);
      // Module imports, workers, scripts and stylesheet/font URLs: all relative or on this server.
      const loads = [
        ...text.matchAll(/\b(?:import|from)\s*\(?\s*["'`](https?:[^"'`]*)/g),
        ...text.matchAll(/new (?:URL|Worker|SharedWorker)\(\s*["'`](https?:[^"'`]*)/g),
        ...text.matchAll(/importScripts\(\s*["'`](https?:[^"'`]*)/g),
        ...text.matchAll(/url\(\s*["']?(https?:[^"')]*)/g),
        ...text.matchAll(/@import\s+["'](https?:[^"']*)/g),
      ].map((m) => m[1]);
      expect(loads, rel).toEqual([]);
      for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+\.[a-z]{2,})/gi)) if (!referenceHosts.has(m[1].toLowerCase())) foreignHosts.add(`${m[1]} (${rel})`);
    }
    expect([...foreignHosts]).toEqual([]);
  });

  it("sends operations to the path it was opened from, subscriptions over WebSocket on the same path", () => {
    expect(endpointFor({ protocol: "http:", host: "127.0.0.1:4000", pathname: "/graphql" })).toEqual({
      http: "http://127.0.0.1:4000/graphql",
      ws: "ws://127.0.0.1:4000/graphql",
    });
    expect(endpointFor({ protocol: "https:", host: "graph.example", pathname: "/graphql" })).toEqual({
      http: "https://graph.example/graphql",
      ws: "wss://graph.example/graphql",
    });
    // Opened from its static folder or a dev server, it uses /graphql on that host.
    expect(endpointFor({ protocol: "http:", host: "localhost:4173", pathname: "/web/graphiql/" }).ws).toBe("ws://localhost:4173/graphql");
  });

  it("still answers GraphQL requests at the same URL", async () => {
    const res = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await bearer() },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await res.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("is Apollo Sandbox with GRAPHQL_IDE=sandbox, and no page with off", async () => {
    const sandbox = await startWith("sandbox");
    const off = await startWith("off");
    try {
      const page = await (await fetch(sandbox.url, { headers: asBrowser })).text();
      expect(page).toMatch(/embeddable-sandbox\.cdn\.apollographql\.com/);
      expect(page).not.toContain('<div id="graphiql">');
      const none = await fetch(off.url, { headers: asBrowser });
      expect(none.headers.get("content-type") ?? "").not.toMatch(/text\/html/);
      expect((await fetch(`${new URL(off.url).origin}/`, { redirect: "manual" })).status).toBe(404);
    } finally {
      await sandbox.close();
      await off.close();
    }
  });
});
