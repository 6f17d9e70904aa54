// Deliveries take turns with the rest of the process. An event whose follow-up is already fetched
// (a replay page, a burst shared by many subscribers) is delivered from promise to promise without
// ever returning to the event loop, so thousands of them in a row held timers and I/O back
// (measured: other clients' queries waited 3-4 s behind twenty replays). Yielding before every
// delivery went too far the other way: under ingestion load a turn of the event loop takes 100 ms
// or more, and one delivery per turn throttled a subscriber to a few events a second.
// So a delivery yields only when deliveries have run for SLICE_MS without the event loop turning
// in between; work that waits on I/O (a follow-up query) lets the loop turn by itself.
import { performance } from "node:perf_hooks";

const SLICE_MS = 50;
let sliceStart = performance.now();
let loopTurned = false;

function startSlice() {
  sliceStart = performance.now();
  loopTurned = false;
  setImmediate(() => (loopTurned = true));
}
startSlice();

export async function takeTurn(): Promise<void> {
  if (loopTurned) return startSlice();
  if (performance.now() - sliceStart < SLICE_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  startSlice();
}
