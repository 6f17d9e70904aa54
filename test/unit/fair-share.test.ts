// Deliveries yield to the event loop after SLICE_MS (50 ms) spent inside deliveries without the
// loop turning, and only then: time the process spent on other work (ingestion blocking the loop)
// does not count against them.
import { describe, expect, it } from "vitest";
import { performance } from "node:perf_hooks";
import { takeTurn } from "../../gateway/subscriptions/fair-share.js";

const busy = (ms: number) => {
  for (const until = performance.now() + ms; performance.now() < until;);
};
const loopTurn = () => new Promise((r) => setImmediate(r));

/** Whether takeTurn waited for a turn of the event loop (an immediate queued before it ran first). */
const yielded = async () => {
  let turned = false;
  setImmediate(() => (turned = true));
  (await takeTurn())();
  return turned;
};

describe("delivery slices", () => {
  it("does not yield when other work, not deliveries, filled the slice's time", async () => {
    await loopTurn();
    (await takeTurn())(); // a new slice
    busy(60); // e.g. ingestion on the same loop, outside any delivery
    expect(await yielded()).toBe(false);
  });

  it("yields once deliveries themselves ran for the slice without the loop turning", async () => {
    await loopTurn();
    const done = await takeTurn();
    busy(60); // a long delivery
    done();
    expect(await yielded()).toBe(true);
  });
});
