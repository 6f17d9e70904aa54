// One subgraph request for identical concurrent ones, over HTTP (http.ts) and in-process
// (in-process.ts). When several operations in flight need the same subgraph query with the same
// variables for the same caller identity (a dashboard's many viewers refreshing the same page, the
// same order opened twice), the gateway sends it once and each operation gets its own copy of the
// answer (the gateway writes into what it merges). Only queries are shared, never mutations; the
// identity is part of the key, so row rules apply as for a request of one's own. The shared
// request stops only when every operation waiting for it has stopped (timeout, a limit): one
// caller's cancellation does not fail the others. Each operation still charges its own budget with
// the answer.
import { subgraphFetchesShared } from "../../platform/telemetry/metrics.js";

interface InFlight<T> {
  answer: Promise<T>;
  controller: AbortController;
  waiting: number;
  /** Callers that joined, counting those that have stopped waiting: more than one, and each gets a copy. */
  joined: number;
}

/** Subgraph queries are shareable; a mutation runs once per caller. */
export const isMutation = (query: string | undefined) => /^\s*mutation\b/.test(query ?? "");

export class SharedFetches<T> {
  private readonly inFlight = new Map<string, InFlight<T>>();

  /**
   * `copy` makes a caller's own copy of a shared answer, when more than one caller joined it (an
   * answer nobody else saw is handed over as it is). Immutable answers (text) need none.
   */
  constructor(
    private readonly subgraph: string,
    private readonly copy: (answer: T) => T = (answer) => answer,
  ) {}

  /**
   * Runs `send` once per key among concurrent callers. `signal` is this caller's: when it aborts,
   * this caller stops waiting (and the request is aborted when nobody else waits for it).
   */
  async run(key: string, signal: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let shared = this.inFlight.get(key);
    if (shared) subgraphFetchesShared.inc({ subgraph: this.subgraph });
    else {
      const controller = new AbortController();
      const answer: Promise<T> = send(controller.signal).finally(() => {
        if (this.inFlight.get(key)?.answer === answer) this.inFlight.delete(key);
      });
      // A rejection nobody waits for any more is not an unhandled one.
      answer.catch(() => {});
      shared = { answer, controller, waiting: 0, joined: 0 };
      this.inFlight.set(key, shared);
    }
    shared.waiting++;
    shared.joined++;
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
      const answer = await Promise.race([shared.answer, stopped]);
      // Nobody joins an answer already handed out: `joined` is final from here, so an only caller
      // may take the original (nobody else will read it) and every one of several gets a copy.
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
      return shared.joined === 1 ? answer : this.copy(answer);
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
