// Follow-up queries and `since` replays run through one queue, so subscriptions cannot crowd out
// the gateway's other clients: at most FOLLOW_UP_CONCURRENCY follow-up executions at a time, live
// ones first, and replays (history read page by page, with their follow-ups) one step at a time
// across the whole process, at the lowest priority. Twenty clients replaying since "0" then
// share one lane instead of each taking the database and the event loop.
import PQueue from "p-queue";

const LIVE = 1;
const REPLAY = 0;

export type Lane = "live" | "replay";

export class FollowUpPacer {
  private readonly work: PQueue;
  private readonly replays = new PQueue({ concurrency: 1 });
  private replayRunning = 0;
  /** Most replay steps seen running at once (tests and diagnostics). */
  maxReplayRunning = 0;

  constructor(concurrency: number) {
    this.work = new PQueue({ concurrency });
  }

  run<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    if (lane === "live") return this.work.add(task, { priority: LIVE, throwOnTimeout: true }) as Promise<T>;
    return this.replays.add(
      () =>
        this.work.add(
          async () => {
            this.replayRunning++;
            this.maxReplayRunning = Math.max(this.maxReplayRunning, this.replayRunning);
            try {
              return await task();
            } finally {
              this.replayRunning--;
            }
          },
          { priority: REPLAY, throwOnTimeout: true },
        ),
      { throwOnTimeout: true },
    ) as Promise<T>;
  }

  /**
   * Holds the replay lane (live follow-ups and other clients go on) until the returned function is
   * called. For operators draining a gateway and for tests that must see a replay in progress
   * without racing the machine's speed.
   */
  holdReplays(): () => void {
    this.replays.pause();
    return () => this.replays.start();
  }

  get pending(): number {
    return this.work.size + this.work.pending + this.replays.size;
  }
}
