// What one GraphQL operation may cost this process: time, list items produced or received, bytes
// received from subgraphs, and the heap it may push towards the limit. One budget per operation:
// the gateway creates it and hands it to every subgraph fetch (in embedded mode the subgraphs'
// resolvers count against it and stop when it is spent; in distributed mode each subgraph process
// has a budget per request of its own). When a limit is hit the budget stops: its AbortSignal
// fires, every further resolver and fetch fails at once with the one error that names the limit,
// and the operation answers with that error alone.
import { DomainError, ErrorCode } from "../errors.js";
import type { MemoryGuard } from "./memory-guard.js";

export interface OperationLimits {
  /** OPERATION_TIMEOUT_MS: wall time one operation may run before it is cancelled (default 30,000). */
  timeoutMs: number;
  /** MAX_RESULT_ITEMS: list items one operation may produce or receive from subgraphs (default 50,000; a running operation holds roughly 5 KB of heap per item). */
  maxResultItems: number;
  /** MAX_RESULT_BYTES: bytes of subgraph responses one operation may receive over HTTP (default 32 MB). */
  maxResultBytes: number;
}

/** Heap checks while counting: often enough to stop a runaway operation, rarely enough to cost nothing. */
const MEMORY_CHECK_EVERY_ITEMS = 2_000;

export class OperationBudget {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private produced = 0;
  private received = 0;
  private receivedBytes = 0;
  private nextMemoryCheck = MEMORY_CHECK_EVERY_ITEMS;
  private reason: DomainError | null = null;
  private readonly stoppedWaiters: ((e: DomainError) => void)[] = [];

  constructor(
    readonly limits: OperationLimits,
    private readonly memory?: MemoryGuard,
  ) {
    // An infinite timeout: no timer (forSharedWork).
    this.timer = Number.isFinite(limits.timeoutMs) ? this.startTimer(limits) : undefined;
  }

  private startTimer(limits: OperationLimits): NodeJS.Timeout {
    const timer = setTimeout(
      () =>
        this.stop(
          new DomainError(ErrorCode.OPERATION_TIMEOUT, `The operation ran longer than ${limits.timeoutMs} ms (OPERATION_TIMEOUT_MS) and was cancelled`, {
            limit: "OPERATION_TIMEOUT_MS",
            timeoutMs: limits.timeoutMs,
          }),
        ),
      limits.timeoutMs,
    );
    timer.unref();
    return timer;
  }

  /** Fires when the budget stops, for fetches and loaders to abandon their work. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The error that stopped the operation, or null while it may go on. */
  get stopReason(): DomainError | null {
    return this.reason;
  }

  /** Resolves with the stop reason when the budget stops (never, if it does not). */
  stopped(): Promise<DomainError> {
    if (this.reason) return Promise.resolve(this.reason);
    return new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  throwIfStopped() {
    if (this.reason) throw this.reason;
  }

  /** Items (list entries) a subgraph's resolvers produced for this operation. Never throws. */
  countProduced(items: number) {
    this.produced += items;
    this.check(this.produced, "produced");
  }

  /** Items and bytes the gateway received from a subgraph fetch. Never throws: check stopReason. */
  countReceived(items: number, bytes = 0) {
    this.received += items;
    this.receivedBytes += bytes;
    if (this.receivedBytes > this.limits.maxResultBytes) {
      this.stop(
        new DomainError(
          ErrorCode.RESULT_TOO_LARGE,
          `The operation's subgraph responses exceed ${formatBytes(this.limits.maxResultBytes)} (MAX_RESULT_BYTES): ask for fewer items (smaller first, fewer nested lists) or page through them`,
          { limit: "MAX_RESULT_BYTES", maxResultBytes: this.limits.maxResultBytes },
        ),
      );
    }
    this.check(this.received, "received");
  }

  /** Items the subgraphs' resolvers produced so far under this budget. */
  get producedItems(): number {
    return this.produced;
  }

  /**
   * A budget for work done on behalf of several operations (an in-process subgraph fetch they
   * share): this one's item and byte limits and memory guard, but no timeout of its own (whoever
   * shares the work stops it when no operation waits any more, each having its own timeout), and
   * it does not stop when this one does.
   */
  forSharedWork(): OperationBudget {
    return new OperationBudget({ ...this.limits, timeoutMs: Infinity }, this.memory);
  }

  /** Bytes still allowed before MAX_RESULT_BYTES: a response reader stops reading past it. */
  get remainingBytes(): number {
    return Math.max(0, this.limits.maxResultBytes - this.receivedBytes);
  }

  stop(reason: DomainError) {
    if (this.reason) return;
    this.reason = reason;
    clearTimeout(this.timer);
    this.controller.abort(reason);
    for (const w of this.stoppedWaiters.splice(0)) w(reason);
  }

  /** The error for work abandoned by its caller (a closed connection). */
  cancelled(why: string): DomainError {
    return new DomainError(ErrorCode.OPERATION_TIMEOUT, `The operation was cancelled: ${why}`, { limit: "cancelled" });
  }

  /** The operation is over: release the timer. */
  dispose() {
    clearTimeout(this.timer);
  }

  // Never throws: counting happens in resolver callbacks, where a throw would go unhandled. The
  // next resolver or fetch fails instead (throwIfStopped).
  private check(count: number, what: string) {
    if (this.reason) return;
    if (count > this.limits.maxResultItems) {
      this.stop(
        new DomainError(
          ErrorCode.RESULT_TOO_LARGE,
          `The operation's result exceeds ${this.limits.maxResultItems} list items (MAX_RESULT_ITEMS): ask for fewer items (smaller first, fewer nested lists) or page through them`,
          { limit: "MAX_RESULT_ITEMS", maxResultItems: this.limits.maxResultItems },
        ),
      );
    } else if (this.memory && count >= this.nextMemoryCheck) {
      this.nextMemoryCheck = count + MEMORY_CHECK_EVERY_ITEMS;
      if (this.memory.overloaded())
        this.stop(
          new DomainError(ErrorCode.SERVER_OVERLOADED, `${this.memory.message()}; this operation was stopped after ${count} items ${what}`, {
            limit: "MEMORY_LIMIT_FRACTION",
          }),
        );
    }
  }
}

/** List entries anywhere in a GraphQL result: what an operation makes the process hold. */
export function countListItems(value: unknown): number {
  if (Array.isArray(value)) {
    let n = value.length;
    for (const v of value) if (v !== null && typeof v === "object") n += countListItems(v);
    return n;
  }
  if (value !== null && typeof value === "object") {
    let n = 0;
    for (const v of Object.values(value)) if (v !== null && typeof v === "object") n += countListItems(v);
    return n;
  }
  return 0;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
