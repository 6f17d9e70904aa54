// `npm run bench:raw-read`: what reading raw message bodies costs the server. Stores
// BENCH_RAW_MESSAGES (default 30) WMS events of 1 MiB each, then asks for every body as text and
// base64 in one query, and in one request with eight aliases of that query (issue 7 item 10: 8
// aliases once took 3.2 GB). Records the response size, the time and the server's resident memory
// afterwards; the raw-body budget (RAW_READ_BUDGET, default 16 MiB) bounds the first two.
// The server is the embedded app on PGlite in memory, in its own process (bench/serve.ts-like).
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { machineLine, recordResults, today } from "./report.js";

const messages = Number(process.env.BENCH_RAW_MESSAGES ?? 30);

async function main() {
  const child = fork(new URL("./raw-read-serve.ts", import.meta.url), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const { url } = await new Promise<{ url: string }>((resolve) => child.once("message", (m) => resolve(m as { url: string })));
  const base = url.replace(/\/graphql$/, "");
  const pad = "x".repeat(1024 * 1024);
  for (let i = 0; i < messages; i++) {
    const body = JSON.stringify({
      eventId: `raw-${i}`,
      type: "RECEIPT",
      sku: "BENCH-1",
      location: "BENCH-WH",
      quantity: 1,
      occurredAt: "2026-11-28T10:00:00Z",
      note: pad,
    });
    const res = await fetch(`${base}/ingest/wms/inventory`, { method: "POST", headers: { "content-type": "application/json" }, body });
    if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
  const one = "inboundMessages(first: 500) { nodes { raw rawBase64 } }";
  const rows: string[] = [];
  for (const [name, query] of [
    ["one query", `{ ${one} }`],
    ["eight aliases", `{ ${Array.from({ length: 8 }, (_, i) => `a${i}: ${one}`).join(" ")} }`],
  ]) {
    const started = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    const text = await res.text();
    const ms = performance.now() - started;
    const errors = res.ok ? (JSON.parse(text).errors?.length ?? 0) : "-";
    const rss = await new Promise<number>((resolve) => {
      child.once("message", (m) => resolve((m as { rss: number }).rss));
      child.send("rss");
    });
    rows.push(`| ${name} | ${res.status} | ${(text.length / 2 ** 20).toFixed(1)} | ${Math.round(ms)} | ${errors} | ${Math.round(rss / 2 ** 20)} |`);
  }
  child.kill();
  recordResults([
    `\n### Reading raw bodies — ${today()}`,
    "",
    `${machineLine()} Store: PGlite in memory, ${messages} WMS events of 1 MiB stored, server in its own process. Each row asks for every body as raw and rawBase64.`,
    "",
    "| request | HTTP | response MiB | ms | field errors (RAW_BUDGET_EXCEEDED) | server RSS MiB after |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
  ]);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
