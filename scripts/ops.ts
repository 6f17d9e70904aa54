// `npm run ops -- <command>`: operations from the command line, as a GraphQL client of a running
// gateway (GATEWAY_URL, default http://127.0.0.1:4000/graphql). It talks to the server rather than
// the database because the embedded store belongs to the running process.
//
//   dead-letters [--source S] [--kind K] [--step STEP] [--first N]   list dead letters
//   show <messageId>                                  one inbound message: warnings, raw text (first 64 KiB)
//   replay <messageId>                                replay one dead letter or failed message
//   replay-all [--source S] [--kind K] [--limit N]    replay matching dead letters, oldest first
//   reconcile <snapshot.json> [--full] [--apply]      drift report for a snapshot (and apply it)
//   unfreeze <sku> <locationId> --reason "<why>"      unfreeze a position frozen by a future-dated level
//   consumers                                         consumer positions, lag (events, seconds) and parked events
//   retry-parked <consumer> <sequence>                retry a parked event
//   exceptions [--domain D] [--kind K] [--source S] [--state S] [--older-than 2h|<ISO time>] [--first N] [--after CURSOR]
//                                                     the exception queue, newest first (lists: comma-separated; default state OPEN, --state all for every state)
//   exceptions show <exceptionId>                     one exception: reason, times, note, raw payload (first 64 KiB)
//   exceptions retry <exceptionId>                    replay a dead letter, retry a parked event, posting or delivery
//   exceptions resolve <exceptionId> --note "<why>"   mark it RESOLVED with a note
//   exceptions discard <exceptionId> --note "<why>"   mark it DISCARDED with a note
//   trace <correlationId>                             every step of one transaction, across the subgraphs, in time order
//   mappings import <file.csv>                        upsert cross-references from a CSV file
//   mappings export [--out file.csv] [--kind K] [--system S]   write cross-references as CSV
import fs from "node:fs";
import { exportMappingsCsv, importMappingsCsv } from "./mappings-csv.js";
import { parseDuration } from "../platform/durations.js";

const url = process.env.GATEWAY_URL || "http://127.0.0.1:4000/graphql";
// GATEWAY_TOKEN: a bearer token with the operations scopes (the development token npm start prints, or `npm run token`).
const token = process.env.GATEWAY_TOKEN;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new Error(`cannot reach the gateway at ${url} (${(err as Error).message}); is it running? Set GATEWAY_URL otherwise.`, { cause: err });
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command reads the fields it asked for
  const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("\n"));
  return body.data;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Flags that take a value; the rest (--apply, --full) stand alone. */
const VALUE_FLAGS = new Set(["--source", "--kind", "--step", "--first", "--limit", "--reason", "--domain", "--state", "--older-than", "--after", "--note"]);

/** The arguments that are not flags or flag values, in order. */
function positional(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith("--") && !VALUE_FLAGS.has(args[i - 1]));
}

const MESSAGE_FIELDS =
  "id source kind idempotencyKey correlationId state receivedAt processedAt attempts failedStep error warnings { step code message where }";
const SHOWN_RAW_BYTES = 64 * 1024;

type Warning = { step: string; code: string; message: string; where: string | null };
const warningLine = (w: Warning) => `warning [${w.step}] ${w.code}: ${w.message}${w.where ? ` (${w.where})` : ""}`;

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const [first, second] = positional(args);
  switch (command) {
    case "dead-letters": {
      const filter = { state: ["DEAD_LETTER"], source: flag(args, "source"), kind: flag(args, "kind"), failedStep: flag(args, "step") };
      const data = await gql(`query($f: InboundMessageFilter, $n: Int) { inboundMessages(filter: $f, first: $n) { totalCount nodes { ${MESSAGE_FIELDS} } } }`, {
        f: filter,
        n: Number(flag(args, "first") ?? 50),
      });
      console.log(`${data.inboundMessages.totalCount} dead letter(s)`);
      for (const m of data.inboundMessages.nodes)
        console.log(
          `${m.id}  ${m.receivedAt}  ${m.source}/${m.kind}  key=${m.idempotencyKey}  [${m.failedStep}] ${m.error}${m.warnings.length ? `  (${m.warnings.length} warning(s))` : ""}`,
        );
      return 0;
    }
    case "show": {
      if (!first) return usage();
      const data = await gql(
        `query($id: ID!, $n: Int) { inboundMessage(id: $id) { ${MESSAGE_FIELDS} result sizeBytes rawPurgedAt raw(length: $n) duplicateOf { id } conflictWith { id } } }`,
        { id: first, n: SHOWN_RAW_BYTES },
      );
      const m = data.inboundMessage;
      if (!m) {
        console.error(`no inbound message ${first}`);
        return 1;
      }
      const { raw, warnings, ...rest } = m;
      console.log(JSON.stringify(rest, null, 2));
      for (const w of warnings as Warning[]) console.log(warningLine(w));
      if (m.rawPurgedAt) console.log(`raw: pruned at ${m.rawPurgedAt} (${m.sizeBytes} bytes)`);
      else console.log(`raw (${m.sizeBytes > SHOWN_RAW_BYTES ? `first ${SHOWN_RAW_BYTES} of ${m.sizeBytes}` : m.sizeBytes} bytes):\n${raw}`);
      return 0;
    }
    case "replay": {
      if (!first) return usage();
      const data = await gql(`mutation($id: ID!) { replayInboundMessage(id: $id) { ${MESSAGE_FIELDS} } }`, { id: first });
      const m = data.replayInboundMessage;
      console.log(`${m.id}: ${m.state}${m.error ? ` [${m.failedStep}] ${m.error}` : ""}`);
      for (const w of m.warnings as Warning[]) console.log(`  ${warningLine(w)}`);
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
      if (!first) return usage();
      const snapshot = JSON.parse(fs.readFileSync(first, "utf8"));
      if (args.includes("--full")) snapshot.full = true;
      const apply = args.includes("--apply");
      const data = await gql(
        `mutation($s: InventorySnapshotInput!, $a: Boolean) { reconcileInventory(snapshot: $s, apply: $a) { applied positionsCompared positionsWithDrift positionsZeroed totalAbsoluteDrift
          byLocation { locationId positionsCompared positionsWithDrift totalAbsoluteDrift } lines { sku locationId current snapshot drift listed outcome } } }`,
        { s: snapshot, a: apply },
      );
      const r = data.reconcileInventory;
      console.log(
        `${r.positionsCompared} positions compared, ${r.positionsWithDrift} with drift (total |drift| ${r.totalAbsoluteDrift})${r.applied ? ", applied" : " (not applied: add --apply)"}`,
      );
      if (snapshot.full)
        console.log(`full count: ${r.applied ? "set" : "would set"} ${r.positionsZeroed} unlisted position(s) to 0 (marked "not listed" below)`);
      for (const l of r.byLocation) console.log(`  ${l.locationId}: ${l.positionsWithDrift}/${l.positionsCompared} drifting, |drift| ${l.totalAbsoluteDrift}`);
      for (const l of r.lines)
        console.log(
          `  ${l.locationId} ${l.sku}: ${l.current} -> ${l.snapshot} (${l.drift > 0 ? "+" : ""}${l.drift}) ${l.outcome}${l.listed ? "" : ", not listed"}`,
        );
      return 0;
    }
    case "unfreeze": {
      const reason = flag(args, "reason");
      if (!first || !second || !reason) return usage();
      const position = `query($s: String!, $l: ID!) { inventoryPosition(sku: $s, locationId: $l) { levelAsOf } }`;
      const before = await gql(position, { s: first, l: second });
      const data = await gql(
        `mutation($s: String!, $l: ID!, $r: String!) { unfreezeInventoryPosition(sku: $s, locationId: $l, reason: $r) { levelAsOf asOf version } }`,
        {
          s: first,
          l: second,
          r: reason,
        },
      );
      const p = data.unfreezeInventoryPosition;
      console.log(
        `${first} at ${second} unfrozen: level time ${before.inventoryPosition?.levelAsOf ?? "none"} -> ${p.levelAsOf ?? "none"}, source time ${p.asOf}, version ${p.version}`,
      );
      return 0;
    }
    case "consumers": {
      const data = await gql(`{ consumers { name position lag lagSeconds parked } }`);
      for (const c of data.consumers)
        console.log(`${c.name}: at ${c.position}, ${c.lag} behind (oldest waiting ${c.lagSeconds.toFixed(1)} s), ${c.parked} parked`);
      return 0;
    }
    case "retry-parked": {
      if (!first || !second) return usage();
      const data = await gql(`mutation($c: String!, $s: String!) { retryParkedEvent(consumer: $c, sequence: $s) { sequence attempts error resolvedAt } }`, {
        c: first,
        s: second,
      });
      const p = data.retryParkedEvent;
      console.log(p.resolvedAt ? `resolved at ${p.resolvedAt}` : `still failing after ${p.attempts} attempts: ${p.error}`);
      return p.resolvedAt ? 0 : 1;
    }
    case "exceptions":
      return exceptionsCommand(args);
    case "trace": {
      if (!first) return usage();
      const data = await gql(`query($c: String!) { trace(correlationId: $c) { steps { at subgraph kind description durationMs } } }`, { c: first });
      if (!data.trace) {
        console.error(`nothing stored carries correlation id ${first}`);
        return 1;
      }
      type Step = { at: string; subgraph: string; kind: string; description: string; durationMs: number | null };
      for (const s of data.trace.steps as Step[])
        console.log(`${s.at}  ${s.subgraph.padEnd(11)}  ${s.kind.padEnd(9)}  ${s.description}${s.durationMs != null ? `  (${s.durationMs} ms)` : ""}`);
      return 0;
    }
    case "mappings": {
      const [sub, file] = args;
      if (sub === "import" && file) {
        const report = await importMappingsCsv(fs.readFileSync(file), gql);
        for (const w of report.warnings) console.log(`warning: ${w}`);
        console.log(`${report.rows} row(s) read from ${file}, ${report.upserted} cross-reference(s) written in ${report.batches} batch(es)`);
        return 0;
      }
      if (sub === "export") {
        const csv = await exportMappingsCsv(gql, { kind: flag(args, "kind"), system: flag(args, "system") });
        const out = flag(args, "out");
        if (out) fs.writeFileSync(out, csv.text);
        else process.stdout.write(csv.text);
        if (out) console.log(`${csv.rows} cross-reference(s) written to ${out}`);
        return 0;
      }
      return usage();
    }
    default:
      return usage();
  }
}

const EXCEPTION_FIELDS = "id domain source kind state reason correlationId raisedAt resolvedAt resolutionNote";

type ExceptionRow = {
  id: string;
  domain: string;
  source: string | null;
  kind: string;
  state: string;
  reason: string;
  correlationId: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
};
const exceptionLine = (e: ExceptionRow) =>
  `${e.id}  ${e.state}  ${e.raisedAt}  ${e.domain}/${e.source ?? "-"}  ${e.reason}${e.correlationId ? `  corr=${e.correlationId}` : ""}${e.resolvedAt ? `  -> ${e.resolvedAt}: ${e.resolutionNote}` : ""}`;

const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/** --older-than: an ISO time, or a duration back from now (30m, 2h, 7d). */
function olderThan(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/i.test(value.trim())) return new Date(Date.now() - parseDuration(value)).toISOString();
  if (Number.isNaN(Date.parse(value))) throw new Error(`--older-than must be a duration (30m, 2h, 7d) or an ISO time, got "${value}"`);
  return new Date(value).toISOString();
}

async function exceptionsCommand(args: string[]): Promise<number> {
  const [sub, id] = positional(args);
  if (!sub || sub === "list") {
    const state = flag(args, "state");
    const filter = {
      domain: list(flag(args, "domain")),
      kind: list(flag(args, "kind"))?.map((k) => k.toUpperCase()),
      source: list(flag(args, "source")),
      state: state === "all" ? undefined : (list(state)?.map((s) => s.toUpperCase()) ?? ["OPEN"]),
      olderThan: olderThan(flag(args, "older-than")),
    };
    const data = await gql(
      `query($f: ExceptionFilter, $n: Int, $a: String) { exceptions(filter: $f, first: $n, after: $a) { totalCount unavailableDomains pageInfo { hasNextPage endCursor } nodes { ${EXCEPTION_FIELDS} } } }`,
      { f: filter, n: Number(flag(args, "first") ?? 50), a: flag(args, "after") },
    );
    const x = data.exceptions;
    console.log(`${x.totalCount} exception(s)${filter.state ? ` ${filter.state.join("/")}` : ""}`);
    for (const e of x.nodes as ExceptionRow[]) console.log(exceptionLine(e));
    if (x.pageInfo.hasNextPage) console.log(`more: --after ${x.pageInfo.endCursor}`);
    if (x.unavailableDomains.length) console.log(`not answering (their exceptions are missing): ${x.unavailableDomains.join(", ")}`);
    return x.unavailableDomains.length ? 1 : 0;
  }
  if (!id) return usage();
  if (sub === "show") {
    const data = await gql(`query($id: ID!) { exception(id: $id) { ${EXCEPTION_FIELDS} rawPayload } }`, { id });
    if (!data.exception) {
      console.error(`no exception ${id}`);
      return 1;
    }
    const { rawPayload, ...rest } = data.exception;
    console.log(JSON.stringify(rest, null, 2));
    console.log(rawPayload == null ? "raw payload: none" : `raw payload:\n${rawPayload}`);
    return 0;
  }
  if (sub === "retry") {
    const e: ExceptionRow = (await gql(`mutation($id: ID!) { retryException(id: $id) { ${EXCEPTION_FIELDS} } }`, { id })).retryException;
    console.log(exceptionLine(e));
    if (e.state === "OPEN" && (e.kind === "FAILED_POSTING" || e.kind === "FAILED_DELIVERY"))
      console.log("queued again: it is RESOLVED once the worker has sent it");
    return e.state === "RESOLVED" || e.kind === "FAILED_POSTING" || e.kind === "FAILED_DELIVERY" ? 0 : 1;
  }
  if (sub === "resolve" || sub === "discard") {
    const note = flag(args, "note");
    if (!note) return usage();
    const field = sub === "resolve" ? "resolveException" : "discardException";
    const e: ExceptionRow = (await gql(`mutation($id: ID!, $note: String!) { ${field}(id: $id, note: $note) { ${EXCEPTION_FIELDS} } }`, { id, note }))[field];
    console.log(exceptionLine(e));
    return 0;
  }
  return usage();
}

function usage(): number {
  const header = fs
    .readFileSync(new URL(import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.startsWith("//   "));
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
