// Memory-aware refusal: when the V8 heap is near its limit, new work is refused (HTTP 503
// SERVER_OVERLOADED) instead of accepted and run into "JavaScript heap out of memory", which kills
// every request in the process. Work in progress checks it too (operation-budget.ts).
import v8 from "node:v8";

export interface MemoryGuard {
  /** Used heap / heap limit, 0..1. */
  heapFraction(): number;
  /** True when the heap is at or above the configured fraction of its limit. */
  overloaded(): boolean;
  /** MEMORY_LIMIT_FRACTION: the fraction of the heap limit above which new work is refused. */
  readonly limitFraction: number;
  /** The message callers get, naming the limit. */
  message(): string;
}

export function createMemoryGuard(limitFraction: number, stats: () => { used_heap_size: number; heap_size_limit: number } = v8.getHeapStatistics): MemoryGuard {
  const heapFraction = () => {
    const s = stats();
    return s.used_heap_size / s.heap_size_limit;
  };
  return {
    limitFraction,
    heapFraction,
    overloaded: () => heapFraction() >= limitFraction,
    message: () =>
      `The server is low on memory (heap at ${Math.round(heapFraction() * 100)}% of its limit, MEMORY_LIMIT_FRACTION=${limitFraction}) and refuses new work for now; retry later`,
  };
}
