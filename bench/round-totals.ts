// Figures summed over a benchmark's alternating rounds, per scenario and target: requests, time,
// server CPU, worst p99 and errors, so each bench reports rates and CPU per request the same way.
import type { LoadResult } from "./load.js";

interface Totals {
  requests: number;
  seconds: number;
  cpuMs: number;
  p99: number[];
  errors: number;
}

export class RoundTotals {
  private readonly totals = new Map<string, Totals>();

  /** One round's load result for a scenario and target, with the CPU the measured processes spent meanwhile. */
  add(scenario: string, target: string, result: LoadResult, seconds: number, cpuMs: number): void {
    const key = `${scenario}|${target}`;
    const t = this.totals.get(key) ?? { requests: 0, seconds: 0, cpuMs: 0, p99: [], errors: 0 };
    t.requests += result.requestsPerSecond * seconds;
    t.seconds += seconds;
    t.cpuMs += cpuMs;
    t.p99.push(result.p99);
    t.errors += result.errors + result.non2xx;
    this.totals.set(key, t);
  }

  private of(scenario: string, target: string): Totals {
    const t = this.totals.get(`${scenario}|${target}`);
    if (!t) throw new Error(`no figures for ${scenario} on ${target}`);
    return t;
  }

  /** Requests per second over every round. */
  rate = (scenario: string, target: string) => ((t) => t.requests / t.seconds)(this.of(scenario, target));
  /** CPU milliseconds per request over every round. */
  cpuPerRequest = (scenario: string, target: string) => ((t) => t.cpuMs / t.requests)(this.of(scenario, target));
  /** The table row's figures: req/s, worst p99 ms, CPU ms per request, errors. */
  row = (scenario: string, target: string) =>
    ((t) => `${this.rate(scenario, target).toFixed(1)} | ${Math.max(...t.p99)} | ${this.cpuPerRequest(scenario, target).toFixed(1)} | ${t.errors}`)(
      this.of(scenario, target),
    );
}
