// The subscribers of bench/subscription-fanout.ts, in a process of their own (the bench forks
// several) so the client side does not share the gateway's event loop. Each subscriber is one
// WebSocket speaking graphql-transport-ws by hand with `ws`: a graphql-ws client parses every
// message into objects, which at hundreds of thousands of messages a second would make the load
// generator, not the server, the limit. A `next` message is read with indexOf only: its sequence
// (order check), its occurredAt (latency) or a SUBSCRIBER_TOO_SLOW error.
//
// IPC: { start: { url, count, query, variables } } → "ready" once every socket has its
// subscription sent; "report" → counts and the latency histogram; "reset"; "stop".
import WebSocket from "ws";

const HISTOGRAM_MS = 60_000;

interface Start {
  url: string;
  count: number;
  query: string;
  variables: Record<string, unknown>;
}

const sockets: WebSocket[] = [];
let delivered: number[] = [];
const lastSequence: number[] = [];
let histogram = new Uint32Array(HISTOGRAM_MS + 1);
let tooSlow = 0;
let outOfOrder = 0;
let otherErrors = 0;
let closed = 0;
let acked = 0;

function field(text: string, name: string): string | null {
  const at = text.indexOf(`"${name}":"`);
  if (at < 0) return null;
  const from = at + name.length + 4;
  return text.slice(from, text.indexOf('"', from));
}

function open(i: number, { url, query, variables }: Start) {
  const socket = new WebSocket(url, "graphql-transport-ws");
  sockets[i] = socket;
  delivered[i] = 0;
  lastSequence[i] = 0;
  socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
  socket.on("message", (data) => {
    const text = data.toString();
    if (text.startsWith('{"id":"1","type":"next"') || text.includes('"type":"next"')) {
      if (text.includes("SUBSCRIBER_TOO_SLOW")) return void tooSlow++;
      if (text.includes('"errors"')) otherErrors++;
      const sequence = Number(field(text, "sequence"));
      if (sequence <= lastSequence[i]) outOfOrder++;
      lastSequence[i] = sequence;
      delivered[i]++;
      const occurredAt = field(text, "occurredAt");
      if (occurredAt) histogram[Math.max(0, Math.min(HISTOGRAM_MS, Date.now() - Date.parse(occurredAt)))]++;
    } else if (text.includes('"type":"connection_ack"')) {
      socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
      if (++acked === sockets.length) process.send?.("ready");
    } else if (text.includes('"type":"error"')) {
      otherErrors++;
      if (otherErrors < 3) console.error("subscription error", text.slice(0, 300));
    }
  });
  socket.on("close", () => void closed++);
  socket.on("error", (err) => console.error("socket error", err.message));
}

process.on("message", (m: "report" | "reset" | "stop" | { start: Start }) => {
  if (typeof m === "object" && m.start) {
    sockets.length = m.start.count;
    for (let i = 0; i < m.start.count; i++) open(i, m.start);
  } else if (m === "report") {
    const buckets: [number, number][] = [];
    for (let ms = 0; ms <= HISTOGRAM_MS; ms++) if (histogram[ms]) buckets.push([ms, histogram[ms]]);
    process.send?.({ delivered, buckets, tooSlow, outOfOrder, otherErrors, closed });
  } else if (m === "reset") {
    delivered = delivered.map(() => 0);
    histogram = new Uint32Array(HISTOGRAM_MS + 1);
    tooSlow = outOfOrder = otherErrors = 0;
  } else if (m === "stop") {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
