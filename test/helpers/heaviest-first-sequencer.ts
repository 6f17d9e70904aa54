// Starts the longest test files first, so a run does not end with one worker busy on a long file
// while the other idles. Vitest orders by the durations it cached on earlier runs, but on a fresh
// machine (CI) it has none and orders by file size, which puts these tiny per-store wrappers last.
import { BaseSequencer, type TestSpecification } from "vitest/node";

const heaviest = [
  /crash-recovery\./,
  /order-concurrency\./,
  /stock-reordering\./,
  /migrations\.test/,
  /subscriptions\.(pglite|postgres)\./,
  /ingest\.(pglite|postgres)\./,
];
const rank = (spec: TestSpecification) => {
  const i = heaviest.findIndex((pattern) => pattern.test(spec.moduleId));
  return i === -1 ? heaviest.length : i;
};

export default class HeaviestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byDefault = await super.sort(files);
    return byDefault
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
