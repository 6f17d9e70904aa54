// How every launcher (npm start, start:subgraph, start:gateway) runs: start, then on SIGINT or
// SIGTERM close what it opened and exit 0; a start-up failure prints its reason and exits 1.
export function runProcess(start: () => Promise<() => Promise<void>>) {
  start().then(
    (close) => {
      const stop = async (signal: string) => {
        console.log(`${signal}: shutting down`);
        await close();
        process.exit(0);
      };
      process.once("SIGINT", () => void stop("SIGINT"));
      process.once("SIGTERM", () => void stop("SIGTERM"));
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
