// `npm run bench:subscriptions`: latency from the committing request's response to receipt at
// each subscriber (p50, p99), with 1, 100 and 1,000 concurrent subscribers on one gateway, each on
// its own WebSocket, all with the same cross-subgraph selection; and follow-up queries executed
// per event (shared follow-ups should keep it at 1 whatever the number of subscribers).
//   BENCH_SUB_EVENTS (events per row, default 30), BENCH_SUB_COUNTS (default "1,100,1000")
import { fork } from "node:child_process";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { generateDemoData } from "../demo/generate.js";
import { appendTargets, machineLine, recordResults, today, type TargetRow } from "./report.js";

const events = Number(process.env.BENCH_SUB_EVENTS ?? 30);
const counts = (process.env.BENCH_SUB_COUNTS ?? "1,100,1000").split(",").map(Number);
const QUERY = `subscription($sku: String) { inventoryChanged(sku: $sku) { sequence after { available }
  position { available product { description openDemand } location { name } } } }`;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const demo = generateDemoData();
  // A row's sockets may still be closing on the server when the next row connects (dispose() does not
  // wait for the server): room for every row's at once, so WS_MAX_CONNECTIONS is not what is measured.
  const env = {
    ...process.env,
    WS_MAX_CONNECTIONS:
      process.env.WS_MAX_CONNECTIONS ??
      String(
        Math.max(
          1000,
          counts.reduce((a, b) => a + b, 0),
        ),
      ),
  };
  const child = fork(new URL("./serve.ts", import.meta.url), { execArgv: ["--import", "tsx"], stdio: "inherit", env });
  const ask = <T>(msg: string) =>
    new Promise<T>((resolve) => {
      child.once("message", resolve as never);
      child.send(msg);
    });
  const { url } = await new Promise<{ url: string }>((resolve) => child.once("message", resolve as never));
  const ingest = url.replace(/\/graphql$/, "/ingest/wms/inventory");
  const rows: string[] = [];
  const targetRows: TargetRow[] = [];
  let eventNo = 0;
  try {
    for (const [row, n] of counts.entries()) {
      const sku = demo.products[100 + row].sku;
      const clients: Client[] = [];
      const received = new Map<string, number[]>(); // sequence -> receipt times
      let subscribed = 0;
      for (let i = 0; i < n; i++) {
        const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
        clients.push(client);
        client.subscribe(
          { query: QUERY, variables: { sku } },
          {
            next: (r: any) => {
              const seq = r.data?.inventoryChanged?.sequence;
              if (seq) received.set(seq, [...(received.get(seq) ?? []), performance.now()]);
            },
            error: (e) => console.error("subscription error", e),
            complete: () => {},
          },
        );
      }
      // Wait until every subscription is registered on the server.
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        const { listeners } = await ask<{ listeners: number }>("stats");
        subscribed = listeners;
        if (listeners >= n) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (subscribed < n) throw new Error(`only ${subscribed} of ${n} subscribers registered`);
      const before = await ask<{ followUps: number }>("stats");
      const latencies: number[] = [];
      for (let e = 0; e < events; e++) {
        const res = await fetch(ingest, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            eventId: `bench-sub-${eventNo++}`,
            type: "RECEIPT",
            sku,
            location: "WH-ATL",
            quantity: 1,
            occurredAt: new Date().toISOString(),
          }),
        });
        const answeredAt = performance.now();
        if (!res.ok) throw new Error(`ingest failed: ${res.status}`);
        // The event's sequence is the one every subscriber sees next; wait for all of them.
        const deadline = Date.now() + 30_000;
        let seq: string | undefined;
        while (Date.now() < deadline) {
          seq = [...received.keys()].find((k) => (received.get(k)?.length ?? 0) >= n && !(received.get(k) as number[] & { done?: boolean }).done);
          if (seq) break;
          await new Promise((r) => setTimeout(r, 1));
        }
        if (!seq) throw new Error(`event ${e} did not reach all ${n} subscribers`);
        const times = received.get(seq)! as number[] & { done?: boolean };
        times.done = true;
        for (const t of times) latencies.push(t - answeredAt);
      }
      const after = await ask<{ followUps: number }>("stats");
      await Promise.all(clients.map((c) => c.dispose()));
      rows.push(
        `| ${n} | ${events} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${((after.followUps - before.followUps) / events).toFixed(2)} |`,
      );
      console.log(rows.at(-1));
      const p99 = percentile(latencies, 99);
      if (n >= 1000)
        targetRows.push({
          item: "5",
          target: `${n} subscribers on one gateway: p99 event-to-delivery (events posted one at a time, not at 500/s)`,
          required: "< 100 ms",
          measured: `${p99.toFixed(1)} ms`,
          met: p99 < 100,
        });
    }
  } finally {
    child.send("stop");
  }
  const lines = [
    `### Subscriptions — ${today()}`,
    "",
    `${machineLine()} ` +
      `Embedded app on PGlite in memory (own process); subscribers in the bench process, one WebSocket each, same selection (inventory + orders fields). ` +
      `Latency: from the ingest request's HTTP response to receipt of the event (negative: delivered before the response arrived).`,
    "",
    "| subscribers | events | p50 ms | p99 ms | follow-up queries per event |",
    "|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ];
  recordResults(lines);
  appendTargets(targetRows);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
