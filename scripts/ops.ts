// `npm run ops -- <command>`: operations from the command line, as a GraphQL client of a running
// gateway (GATEWAY_URL, default http://127.0.0.1:4000/graphql). It talks to the server rather than
// the database because the embedded store belongs to the running process.
//
//   dead-letters [--source S] [--kind K] [--first N]   list dead letters
//   show <messageId>                                  one inbound message, with its raw text
//   replay <messageId>                                replay one dead letter or failed message
//   replay-all [--source S] [--kind K] [--limit N]    replay matching dead letters, oldest first
//   reconcile <snapshot.json> [--apply]               drift report for a snapshot (and apply it)
//   consumers                                         consumer positions, lag and parked events
//   retry-parked <consumer> <sequence>                retry a parked event
import fs from "node:fs";

const url = process.env.GATEWAY_URL || "http://127.0.0.1:4000/graphql";

async function gql(query: string, variables: Record<string, unknown> = {}) {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  } catch (err) {
    throw new Error(`cannot reach the gateway at ${url} (${(err as Error).message}); is it running? Set GATEWAY_URL otherwise.`);
  }
  const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("\n"));
  return body.data;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const MESSAGE_FIELDS = "id source kind idempotencyKey correlationId state receivedAt processedAt attempts failedStep error";

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case "dead-letters": {
      const filter = { state: ["DEAD_LETTER"], source: flag(args, "source"), kind: flag(args, "kind") };
      const data = await gql(`query($f: InboundMessageFilter, $n: Int) { inboundMessages(filter: $f, first: $n) { totalCount nodes { ${MESSAGE_FIELDS} } } }`, {
        f: filter,
        n: Number(flag(args, "first") ?? 50),
      });
      console.log(`${data.inboundMessages.totalCount} dead letter(s)`);
      for (const m of data.inboundMessages.nodes) console.log(`${m.id}  ${m.receivedAt}  ${m.source}/${m.kind}  key=${m.idempotencyKey}  [${m.failedStep}] ${m.error}`);
      return 0;
    }
    case "show": {
      if (!args[0]) return usage();
      const data = await gql(`query($id: ID!) { inboundMessage(id: $id) { ${MESSAGE_FIELDS} result raw duplicateOf { id } } }`, { id: args[0] });
      if (!data.inboundMessage) {
        console.error(`no inbound message ${args[0]}`);
        return 1;
      }
      console.log(JSON.stringify(data.inboundMessage, null, 2));
      return 0;
    }
    case "replay": {
      if (!args[0]) return usage();
      const data = await gql(`mutation($id: ID!) { replayInboundMessage(id: $id) { ${MESSAGE_FIELDS} } }`, { id: args[0] });
      const m = data.replayInboundMessage;
      console.log(`${m.id}: ${m.state}${m.error ? ` [${m.failedStep}] ${m.error}` : ""}`);
      return m.state === "DEAD_LETTER" || m.state === "FAILED" ? 1 : 0;
    }
    case "replay-all": {
      const data = await gql(`mutation($f: DeadLetterFilter, $n: Int) { replayDeadLetters(filter: $f, limit: $n) { replayed results { id state error } } }`, {
        f: { source: flag(args, "source"), kind: flag(args, "kind") },
        n: Number(flag(args, "limit") ?? 100),
      });
      const r = data.replayDeadLetters;
      const still = r.results.filter((m: { state: string }) => m.state === "DEAD_LETTER");
      console.log(`replayed ${r.replayed}: ${r.replayed - still.length} now applied, ${still.length} still dead`);
      for (const m of still) console.log(`  ${m.id}: ${m.error}`);
      return still.length ? 1 : 0;
    }
    case "reconcile": {
      if (!args[0]) return usage();
      const snapshot = JSON.parse(fs.readFileSync(args[0], "utf8"));
      const apply = args.includes("--apply");
      const data = await gql(
        `mutation($s: InventorySnapshotInput!, $a: Boolean) { reconcileInventory(snapshot: $s, apply: $a) { applied positionsCompared positionsWithDrift totalAbsoluteDrift
          byLocation { locationId positionsCompared positionsWithDrift totalAbsoluteDrift } lines { sku locationId current snapshot drift outcome } } }`,
        { s: snapshot, a: apply },
      );
      const r = data.reconcileInventory;
      console.log(`${r.positionsCompared} positions compared, ${r.positionsWithDrift} with drift (total |drift| ${r.totalAbsoluteDrift})${r.applied ? ", applied" : " (not applied: add --apply)"}`);
      for (const l of r.byLocation) console.log(`  ${l.locationId}: ${l.positionsWithDrift}/${l.positionsCompared} drifting, |drift| ${l.totalAbsoluteDrift}`);
      for (const l of r.lines) console.log(`  ${l.locationId} ${l.sku}: ${l.current} -> ${l.snapshot} (${l.drift > 0 ? "+" : ""}${l.drift}) ${l.outcome}`);
      return 0;
    }
    case "consumers": {
      const data = await gql(`{ consumers { name position lag parked } }`);
      for (const c of data.consumers) console.log(`${c.name}: at ${c.position}, ${c.lag} behind, ${c.parked} parked`);
      return 0;
    }
    case "retry-parked": {
      if (!args[0] || !args[1]) return usage();
      const data = await gql(`mutation($c: String!, $s: String!) { retryParkedEvent(consumer: $c, sequence: $s) { sequence attempts error resolvedAt } }`, { c: args[0], s: args[1] });
      const p = data.retryParkedEvent;
      console.log(p.resolvedAt ? `resolved at ${p.resolvedAt}` : `still failing after ${p.attempts} attempts: ${p.error}`);
      return p.resolvedAt ? 0 : 1;
    }
    default:
      return usage();
  }
}

function usage(): number {
  const header = fs.readFileSync(new URL(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//   "));
  console.error(`usage: npm run ops -- <command>\n${header.map((l) => l.slice(2)).join("\n")}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
