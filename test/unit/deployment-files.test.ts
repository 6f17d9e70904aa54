// The container files, checked without a Docker engine (none runs on the build machine): the
// compose file runs PostgreSQL, migrations once, every subgraph and two gateway replicas with the
// right commands, ports and environment, behind an HAProxy load balancer whose checked-in config
// (deploy/haproxy.cfg) routes by each replica's readiness (the rolling test runs that config);
// the Dockerfile builds a non-root runtime image of the compiled output with a health check.
// `npm run compose:check` (dclint, the compose-spec schema) validates the file itself; the last test
// proves that check rejects a broken file.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { subgraphNames } from "../../subgraphs/catalog.js";
import { DEFAULT_SUBGRAPH_PORTS, subgraphUrlVariable } from "../../app/config.js";
import { projectPath } from "../../platform/project-root.js";

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  restart?: string;
  healthcheck?: unknown;
  volumes?: string[];
}

const composeText = fs.readFileSync(projectPath("compose.yaml"), "utf8");
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const gateways = Object.entries(services).filter(([, s]) => s.command?.[1] === "dist/app/start-gateway.js");

/** deploy/haproxy.cfg without comments and indentation. */
const haproxyLines = fs
  .readFileSync(projectPath("deploy/haproxy.cfg"), "utf8")
  .split("\n")
  .map((l) => l.replace(/#.*/, "").trim().replace(/\s+/g, " "))
  .filter(Boolean);

/** dist/app/x.js is what `npm run build` makes of app/x.ts. */
const sourceOf = (compiled: string) => projectPath(compiled.replace(/^dist\//, "").replace(/\.js$/, ".ts"));

describe("compose.yaml", () => {
  const pg = services.postgres;
  const expectedUrl = `postgresql://${pg.environment!.POSTGRES_USER}:${pg.environment!.POSTGRES_PASSWORD}@postgres:5432/${pg.environment!.POSTGRES_DB}`;

  it("runs PostgreSQL with a health check, and the migrations once before anything else", () => {
    expect(pg.image).toMatch(/^postgres:\d+/);
    expect(pg.healthcheck).toBeDefined();
    const migrate = services.migrate;
    expect(migrate.command).toEqual(["node", "dist/prisma/migrate.js", "apply"]);
    expect(migrate.restart).toBe("no");
    expect(migrate.environment?.DATABASE_URL).toBe(expectedUrl);
    expect(migrate.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });

  it.each(subgraphNames)("runs the %s subgraph from the image on its port, after the migrations", (name) => {
    const s = services[name];
    expect(s, `service ${name}`).toBeDefined();
    expect(s.image).toBe(services.migrate.image);
    expect(s.command).toEqual(["node", "dist/app/start-subgraph.js", name]);
    expect(s.environment).toMatchObject({ DATABASE_URL: expectedUrl, PORT: String(DEFAULT_SUBGRAPH_PORTS[name]), HOST: "0.0.0.0", MIGRATE: "off" });
    expect(s.depends_on).toEqual({ postgres: { condition: "service_healthy" }, migrate: { condition: "service_completed_successfully" } });
    expect(s.ports, "subgraphs stay on the compose network").toBeUndefined();
  });

  it("runs two gateway replicas that reach every subgraph by its service name and port", () => {
    expect(gateways.map(([n]) => n)).toEqual(["gateway-1", "gateway-2"]);
    const published = new Set<string>();
    for (const [name, g] of gateways) {
      expect(g.image).toBe(services.migrate.image);
      expect(g.environment, name).toMatchObject({ DATABASE_URL: expectedUrl, HOST: "0.0.0.0" }); // DATABASE_URL: subscriptions follow the event log
      for (const sg of subgraphNames) {
        expect(g.environment![subgraphUrlVariable(sg)], `${name} ${sg}`).toBe(`http://${sg}:${services[sg].environment!.PORT}/graphql`);
        expect(g.depends_on?.[sg], `${name} waits for ${sg}`).toEqual({ condition: "service_healthy" });
      }
      const [host, port] = g.ports![0].split(":").slice(-2);
      expect(g.ports![0].endsWith(`:${g.environment!.PORT}`)).toBe(true);
      published.add(`${host}:${port}`);
    }
    expect(published.size).toBe(gateways.length);
  });

  it("puts an HAProxy load balancer in front of the gateways, with the checked-in config mounted read-only", () => {
    const lb = services["gateway-lb"];
    expect(lb, "service gateway-lb").toBeDefined();
    expect(lb.image).toMatch(/^haproxy:\d+\.\d+/);
    expect(lb.volumes).toContain("./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro");
    expect(lb.depends_on).toEqual(Object.fromEntries(gateways.map(([name]) => [name, { condition: "service_healthy" }])));
    // Published on loopback, on the port the config binds, next to (not instead of) the gateways' own.
    const [host, published, target] = lb.ports![0].split(":");
    expect(host).toBe("127.0.0.1");
    expect(haproxyLines).toContain(`bind :${target}`);
    for (const [, g] of gateways) expect(g.ports![0]).not.toMatch(new RegExp(`:${published}:`));
  });

  it("has the load balancer route to every gateway by readiness, and keep WebSockets open", () => {
    const servers = haproxyLines.filter((l) => l.startsWith("server "));
    expect(servers).toEqual(gateways.map(([name, g]) => `server ${name} ${name}:${g.environment!.PORT} check`));
    expect(haproxyLines).toContain("balance roundrobin");
    expect(haproxyLines).toContain("option httpchk GET /health/ready");
    expect(haproxyLines).toContain("http-check expect status 200");
    // A replica out on its first failed check, polled more often than the stop delay it gets.
    const defaults = haproxyLines.find((l) => l.startsWith("default-server "))!;
    expect(defaults).toMatch(/\binter 1s\b/);
    expect(defaults).toMatch(/\bfall 1\b/);
    expect(defaults).toMatch(/\bresolvers docker\b/);
    expect(haproxyLines).toContain("nameserver docker-dns 127.0.0.11:53");
    expect(Number(gateways[0][1].environment!.SHUTDOWN_DELAY_MS)).toBeGreaterThanOrEqual(3000);
    expect(haproxyLines.find((l) => l.startsWith("timeout tunnel "))).toBeDefined();
  });

  it("starts only commands the build produces", () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.command) continue;
      expect(s.command[0], name).toBe("node");
      expect(fs.existsSync(sourceOf(s.command[1])), `${name}: ${s.command[1]}`).toBe(true);
    }
  });
});

describe("Dockerfile", () => {
  const lines = fs
    .readFileSync(projectPath("Dockerfile"), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages = lines.reduce<string[][]>((acc, l) => (l.startsWith("FROM ") ? [...acc, [l]] : (acc[acc.length - 1].push(l), acc)), []);
  const runtime = stages[stages.length - 1];

  it("builds in one stage and runs the compiled output in a slimmer one, as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0].join("\n")).toMatch(/npm run build/);
    expect(runtime.join("\n")).toMatch(/npm ci --omit=dev/);
    expect(runtime.find((l) => l.startsWith("USER "))).toMatch(/^USER (?!root\b|0\b)\S+/);
    expect(runtime.join("\n")).not.toMatch(/\btsx\b/);
    expect(runtime.find((l) => l.startsWith("CMD "))).toBe('CMD ["node", "dist/app/start-embedded.js"]');
  });

  it("has a health check on /health/ready and copies what the code reads at run time", () => {
    expect(runtime.find((l) => l.startsWith("HEALTHCHECK "))).toMatch(/\/health\/ready'/);
    const copied = runtime.filter((l) => l.startsWith("COPY --from=build")).map((l) => l.split(/\s+/)[2]);
    for (const needed of ["/app/dist", "/app/subgraphs", "/app/prisma/schema", "/app/prisma/migrations"]) expect(copied).toContain(needed);
  });
});

describe("npm run compose:check", () => {
  const dclint = path.join(path.dirname(createRequire(import.meta.url).resolve("dclint/package.json")), "bin", "dclint.cjs");
  const run = (file: string) =>
    new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [dclint, file], { cwd: projectPath() }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
      ),
    );

  it("accepts compose.yaml and rejects a file that breaks the compose schema", async () => {
    expect(fs.existsSync(dclint)).toBe(true);
    expect((await run("compose.yaml")).code).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compose-check-"));
    try {
      const broken = path.join(dir, "compose.yaml");
      fs.writeFileSync(broken, composeText.replace('    restart: "no"\n', '    restart: "no"\n    helthcheck: {}\n'));
      const result = await run(broken);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/invalid-schema/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
