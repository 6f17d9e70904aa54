// One subgraph request for identical concurrent ones. When several operations in flight need the
// same subgraph query with the same variables for the same caller identity (a dashboard's many
// viewers refreshing the same page, the same order opened twice), the gateway sends it once and
// each operation gets its own copy of the answer (parsed separately: the gateway writes into what it
// merges). Only queries are shared, never mutations; the identity is part of the key, so row rules
// apply as for a request of one's own. The shared request stops only when every operation waiting
// for it has stopped (timeout, a limit): one caller's cancellation does not fail the others. Each
// operation still charges its own budget with the answer (items and bytes).
import { subgraphFetchesShared } from "../../platform/telemetry/metrics.js";

/** What the subgraph answered: its status and body (read up to the shared read limit). */
export interface RawAnswer {
  status: number;
  text: string;
}

interface InFlight {
  answer: Promise<RawAnswer>;
  controller: AbortController;
  waiting: number;
}

export class SharedFetches {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly subgraph: string) {}

  /**
   * Runs `send` once per key among concurrent callers. `signal` is this caller's: when it aborts,
   * this caller stops waiting (and the request is aborted when nobody else waits for it).
   */
  async run(key: string, signal: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<RawAnswer>): Promise<RawAnswer> {
    let shared = this.inFlight.get(key);
    if (shared) subgraphFetchesShared.inc({ subgraph: this.subgraph });
    else {
      const controller = new AbortController();
      const answer: Promise<RawAnswer> = send(controller.signal).finally(() => {
        if (this.inFlight.get(key)?.answer === answer) this.inFlight.delete(key);
      });
      // A rejection nobody waits for any more is not an unhandled one.
      answer.catch(() => {});
      shared = { answer, controller, waiting: 0 };
      this.inFlight.set(key, shared);
    }
    shared.waiting++;
    let leave: () => void = () => {};
    const stopped = new Promise<never>((_, reject) => {
      if (!signal) return;
      const onAbort = () => {
        reject(signal.reason ?? new Error("aborted"));
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        leave = () => signal.removeEventListener("abort", onAbort);
      }
    });
    stopped.catch(() => {});
    try {
      return await Promise.race([shared.answer, stopped]);
    } finally {
      leave();
      shared.waiting--;
      // The last one waiting has gone before the answer: nobody needs the request any more.
      if (shared.waiting === 0 && this.inFlight.get(key) === shared) {
        this.inFlight.delete(key);
        shared.controller.abort();
      }
    }
  }

  /** Requests in flight now (for tests). */
  get size(): number {
    return this.inFlight.size;
  }
}
