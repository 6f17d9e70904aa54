// `npm run bench:entity-cache` (issue 12 item 2): the gateway's entity cache on the unified order
// view with 90% repeat reads, against the same gateway without it, in the same run; and how stale
// a cached view can be after a write, on two replicas.
//
// The distributed shape (bench/distributed.ts): five subgraph processes on one PostgreSQL server,
// two standalone gateways with GATEWAY_CACHE=on following the event log (DATABASE_URL), one without
// the cache. Reads: 9 of every 10 requests ask one of BENCH_CACHE_HOT orders again (the views a
// dashboard keeps open), the 10th a different order each time (first reads). Writes during every
// round: a stock receipt for a product on a hot order's lines every BENCH_CACHE_WRITE_MS, through
// the gateway's /ingest proxy, so cached views are evicted as they would be in operation.
// Staleness: after each write's acknowledgement (the change is committed, its event in the log),
// both cached replicas are asked for the view back to back until they show the new stock; the time
// from the acknowledgement to the first fresh answer, per replica, is the staleness observed.
//   BENCH_ROUNDS (default 3), BENCH_DURATION (s per round and target, default 8), BENCH_CONNECTIONS
//   (default 16), BENCH_CACHE_HOT (default 20), BENCH_CACHE_WRITE_MS (default 250)
import os from "node:os";
import { generateDemoData } from "../demo/generate.js";
import { subgraphNames } from "../subgraphs/catalog.js";
import { startDistributed, type Proc } from "./distributed.js";
import { example } from "./gateway-queries.js";
import { runLoad } from "./load.js";
import { cpuReading, cpuSpent } from "./proc-cpu.js";
import { appendTargets, machineLine, recordResults, today } from "./report.js";
import { RoundTotals } from "./round-totals.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const hotCount = Number(process.env.BENCH_CACHE_HOT ?? 20);
const writeEveryMs = Number(process.env.BENCH_CACHE_WRITE_MS ?? 250);
const VIEW = example("unified-order-view.graphql");
const SCENARIO = "unified order view, 90% repeat reads";

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function main() {
  const demo = generateDemoData();
  const orders = demo.orders.filter((o) => o.status === "INVOICED" || o.status === "SHIPPED");
  const hot = orders.slice(0, hotCount).map((o) => o.id);
  const cold = orders.slice(hotCount).map((o) => o.id);
  const body = (i: number) => ({ query: VIEW, variables: { id: i % 10 === 9 ? cold[Math.floor(i / 10) % cold.length] : hot[i % hot.length] } });
  // The written stock: a position of each hot order's first line's product.
  const targets = hot.map((orderId) => {
    const sku = demo.orderLines.find((l) => l.orderId === orderId && l.lineNumber === 1)!.sku;
    const position = demo.inventoryPositions.find((p) => p.sku === sku)!;
    return { orderId, sku, locationId: position.locationId, code: demo.locations.find((l) => l.id === position.locationId)!.code };
  });

  const d = await startDistributed();
  try {
    const file = d.supergraphFile();
    const cached = [
      await d.startGateway("gateway A, cache on", file, { GATEWAY_CACHE: "on", DATABASE_URL: d.databaseUrl }),
      await d.startGateway("gateway B, cache on", file, { GATEWAY_CACHE: "on", DATABASE_URL: d.databaseUrl }),
    ];
    const plain = await d.startGateway("gateway C, cache off", file, { DATABASE_URL: d.databaseUrl });
    const ingestUrl = (g: Proc) => g.url.replace(/\/graphql$/, "/ingest/wms/inventory");

    let writes = 0;
    const write = async (g: Proc, t: (typeof targets)[number]) => {
      const n = writes++;
      const res = await fetch(ingestUrl(g), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          eventId: `cache-bench-${process.pid}-${n}`,
          type: "RECEIPT",
          sku: t.sku,
          location: t.code,
          quantity: 1,
          occurredAt: new Date().toISOString(),
        }),
      });
      if (res.status !== 200) throw new Error(`write answered ${res.status}: ${await res.text()}`);
    };
    const onHand = async (g: Proc, t: (typeof targets)[number]) => {
      const res = await fetch(g.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: VIEW, variables: { id: t.orderId } }),
      });
      const json = (await res.json()) as {
        data: { order: { lines: { lineNumber: number; product: { positions: { onHand: number; location: { id: string } }[] } }[] } };
      };
      return json.data.order.lines.find((l) => l.lineNumber === 1)!.product.positions.find((p) => p.location.id === t.locationId)!.onHand;
    };

    // Staleness: write, then ask both cached replicas until each shows the new figure.
    const staleness: number[][] = cached.map(() => []);
    const probe = async (t: (typeof targets)[number]) => {
      await Promise.all(cached.map((g) => onHand(g, t))); // cached on both replicas before the write
      const before = await onHand(plain, t);
      await write(cached[0]!, t);
      const acknowledged = performance.now();
      // A view asked for at `asked` and fresh means the replica had evicted it by then: the start of
      // the first fresh request bounds the staleness (its own execution time is not staleness).
      await Promise.all(
        cached.map(async (g, i) => {
          for (;;) {
            const asked = performance.now();
            if ((await onHand(g, t)) !== before) return void staleness[i]!.push(asked - acknowledged);
            if (asked - acknowledged > 10_000) throw new Error(`${g.name} still stale 10 s after a write`);
          }
        }),
      );
    };

    // Answers agree with and without the cache before speed means anything.
    for (const id of [hot[0], cold[0]]) {
      const answers = await Promise.all(
        [...cached, plain].map(async (g) =>
          (
            await fetch(g.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: VIEW, variables: { id } }) })
          ).text(),
        ),
      );
      if (new Set(answers).size !== 1) throw new Error(`answers differ with and without the cache for ${id}`);
    }
    for (const g of [cached[0]!, plain]) await runLoad("warmup", g.url, body, { connections, durationSeconds: 2 });

    const totals = new RoundTotals();
    const chain = (g: Proc) => [g.child.pid!, ...subgraphNames.map((n) => d.subgraphs[n].child.pid!), ...d.postgresPids()];
    for (let round = 0; round < rounds; round++) {
      for (const g of round % 2 ? [plain, cached[0]!] : [cached[0]!, plain]) {
        let stop = false;
        // Writes through the gateway under test; on the cached runs each write is also a staleness probe.
        const writer = (async () => {
          for (let k = 0; !stop; k++) {
            const t = targets[k % targets.length]!;
            if (g === plain) await write(g, t);
            else await probe(t);
            await new Promise((r) => setTimeout(r, writeEveryMs));
          }
        })();
        const pids = chain(g);
        const before = cpuReading(pids);
        const r = await runLoad(`${SCENARIO}: ${g.name}`, g.url, body, { connections, durationSeconds });
        totals.add(SCENARIO, g.name, r, durationSeconds, (cpuSpent(before, cpuReading(pids)) ?? NaN) * 1000);
        stop = true;
        await writer;
        console.error(`round ${round + 1} ${g.name}: ${r.requestsPerSecond.toFixed(1)} req/s`);
      }
    }
    // And on idle replicas, where the log's notification delay alone decides.
    const quietProbes = 20;
    for (let k = 0; k < quietProbes; k++) await probe(targets[k % targets.length]!);
    const metrics = await (await fetch(cached[0]!.url.replace(/\/graphql$/, "/metrics"))).text();
    const count = (result: string) => Number(new RegExp(`gateway_entity_cache_requests_total\\{result="${result}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    const [hits, misses] = [count("hit"), count("miss")];
    const ratio = totals.rate(SCENARIO, cached[0]!.name) / totals.rate(SCENARIO, plain.name);
    const all = staleness.flat();
    const worst = Math.max(...all);
    const lines = [
      `### Entity cache: unified order view with 90% repeat reads, and staleness after a write — ${today()}`,
      "",
      `${machineLine()} Five subgraph processes on one PostgreSQL server (demo data), standalone gateways in their own processes: A and B with GATEWAY_CACHE=on following the event log, C without the cache. ${rounds} rounds of ${durationSeconds} s per gateway, alternating, autocannon with ${connections} connections; 9 of 10 requests ask one of ${hotCount} orders, the 10th a different order each time. A stock receipt on a hot order's product every ${writeEveryMs} ms during every round (${writes} writes in all). CPU: the whole chain's (gateway, subgraphs, PostgreSQL) per request. Load average at the end: ${os.loadavg()[0]!.toFixed(1)} (2 cores).`,
      "",
      "| gateway | req/s | p99 ms (worst round) | chain CPU ms/request | errors |",
      "|---|---:|---:|---:|---:|",
      `| ${cached[0]!.name} | ${totals.row(SCENARIO, cached[0]!.name)} |`,
      `| ${plain.name} | ${totals.row(SCENARIO, plain.name)} |`,
      "",
      `- Cache on / off, same run: throughput ${ratio.toFixed(2)}×, chain CPU per request ${(totals.cpuPerRequest(SCENARIO, cached[0]!.name) / totals.cpuPerRequest(SCENARIO, plain.name)).toFixed(2)}×. Gateway A answered ${hits} queries from the cache and executed ${misses} (hit rate ${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)}%).`,
      `- Staleness after a write (from the write's acknowledgement to the start of the first request answered fresh, asked back to back, during the load rounds and ${quietProbes} more on idle replicas), ${all.length / cached.length} writes: ` +
        cached.map((g, i) => `${g.name}: p50 ${percentile(staleness[i]!, 50).toFixed(1)} ms, max ${Math.max(...staleness[i]!).toFixed(1)} ms`).join("; ") +
        `.`,
      "",
    ];
    recordResults(lines);
    appendTargets([
      {
        item: "2",
        target: "entity cache: max staleness after a write, 2 replicas",
        required: "< 100 ms",
        measured: `${worst.toFixed(1)} ms (p50 ${percentile(all, 50).toFixed(1)} ms)`,
        met: worst < 100,
      },
      {
        item: "2",
        target: "entity cache: order view, 90% repeat reads, cache on / off",
        required: "served without subgraph fetches (informational)",
        measured: `${ratio.toFixed(2)}× throughput, hit rate ${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)}%`,
        met: null,
      },
    ]);
  } finally {
    await d.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
