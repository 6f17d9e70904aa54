// The embedded app as a child process (`npm start`'s compiled entry point), so a test can SIGKILL
// it mid-write and start it again on the same store.
import { TEST_AUTH_SECRET } from "./auth.js";
import { spawn, type ChildProcess } from "node:child_process";
import { compiledEntry } from "./compiled.js";

export interface ChildApp {
  url: string;
  process: ChildProcess;
  output: () => string;
}

export async function startChildApp(env: Record<string, string>): Promise<ChildApp> {
  const child = spawn(process.execPath, [compiledEntry("app/start-embedded.ts")], {
    env: { ...process.env, PORT: "0", DEMO_DATA: "off", EVENT_POLL_MS: "200", AUTH_HS256_SECRET: TEST_AUTH_SECRET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in 60 s:\n${out}`)), 60_000);
    const onData = () => {
      const m = out.match(/GraphQL gateway: (http:\/\/\S+\/graphql)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`app exited (${code ?? signal}) before starting:\n${out}`));
    });
  });
  return { url, process: child, output: () => out };
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Resolves when the child has exited, including when it already had before the call. */
export function exited(child: ChildProcess): Promise<void> {
  return hasExited(child) ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (hasExited(child)) return;
  const done = exited(child);
  child.kill(signal);
  await done;
}
