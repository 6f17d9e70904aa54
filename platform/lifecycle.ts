// How every launcher (npm start, start:subgraph, start:gateway) runs: start, then on SIGINT or
// SIGTERM stop gracefully (readiness 503, in-flight requests drained: platform/http/shutdown.ts),
// close what it opened and exit 0. A second signal while draining exits at once (1). A start-up
// failure prints its reason and exits 1. The start scripts `exec` node, so the PID a supervisor
// (or npm) holds is this process and the signal reaches it.
export function runProcess(start: () => Promise<() => Promise<void>>) {
  start().then(
    (close) => {
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) {
          console.log(`${signal} again: exiting without waiting for in-flight work`);
          process.exit(1);
        }
        stopping = true;
        console.log(`${signal}: shutting down (not ready; finishing in-flight requests)`);
        try {
          await close();
        } catch (err) {
          console.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        }
        console.log("stopped");
        process.exit(0);
      };
      process.on("SIGINT", () => void stop("SIGINT"));
      process.on("SIGTERM", () => void stop("SIGTERM"));
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
