// Deliveries take turns with the rest of the process. An event whose follow-up is already fetched
// (a replay page, a burst shared by many subscribers) is delivered from promise to promise without
// ever returning to the event loop, so thousands of them in a row held timers and I/O back
// (measured: other clients' queries waited 3-4 s behind twenty replays). Yielding before every
// delivery went too far the other way: under ingestion load a turn of the event loop takes 100 ms
// or more, and one delivery per turn throttled a subscriber to a few events a second.
// So a delivery yields only when deliveries themselves have run for SLICE_MS since the event loop
// last turned; work that waits on I/O (a follow-up query) lets the loop turn by itself.
// The slice counts the time spent inside deliveries, not the wall-clock time since the slice
// began: other work of the process (ingestion on an embedded PGlite blocks the loop for tens of
// ms at a time) used to fill the slice, so a subscriber with a queue yielded before nearly every
// delivery and waited a whole loop turn each time (rate bench, 100 events/s: 8.6 s of 10 spent
// waiting for turns, about 30 events/s delivered with the follow-ups already fetched).
import { performance } from "node:perf_hooks";

const SLICE_MS = 50;
let spentMs = 0;
let sliceStart = performance.now();
let loopTurned = false;

function startSlice() {
  spentMs = 0;
  sliceStart = performance.now();
  loopTurned = false;
  setImmediate(() => (loopTurned = true));
}
startSlice();

/**
 * Waits for this delivery's turn; call the returned function when the delivery is done.
 * `wallClock`: count the whole time since the slice began, as before (replays: their history
 * pages and follow-ups also run on this loop, and twenty of them must not hold other clients back).
 */
export async function takeTurn(wallClock = false): Promise<() => void> {
  if (loopTurned) startSlice();
  else if (spentMs >= SLICE_MS || (wallClock && performance.now() - sliceStart >= SLICE_MS)) {
    await new Promise((resolve) => setImmediate(resolve));
    startSlice();
  }
  const started = performance.now();
  return () => {
    // A delivery that waited on I/O let the loop turn: the next takeTurn starts a new slice anyway.
    if (!loopTurned) spentMs += performance.now() - started;
  };
}
