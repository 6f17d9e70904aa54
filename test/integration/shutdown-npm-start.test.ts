// How a server process stops (issue 13 item 2): SIGTERM to the PID `npm start` gives a supervisor
// leaves nothing behind (the script execs node, so the signal reaches the server).
import { spawn, execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { exited } from "../helpers/child-app.js";
import { projectPath } from "../../platform/project-root.js";
import { waitFor } from "../helpers/wait.js";
import { accepts, portOf } from "../helpers/tcp.js";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("stopping a server process", () => {
  it("SIGTERM to the PID npm start runs under leaves no process behind and nothing listening", async () => {
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: projectPath(),
      env: { ...process.env, PORT: "0", DATA_DIR: "memory", DEMO_DATA: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    npm.stdout!.on("data", (d) => (out += d));
    npm.stderr!.on("data", (d) => (out += d));
    await waitFor(async () => /GraphQL gateway: (http:\/\/\S+)/.test(out), "npm start to print its URL", 120_000).catch((e) => {
      throw new Error(`${e.message}\n${out}`);
    });
    const port = portOf(out.match(/GraphQL gateway: (http:\/\/\S+)/)![1]);
    // Whatever npm runs the server as is a descendant of the npm PID (its child, with `exec`).
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(npm.pid)], { encoding: "utf8" })
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    expect(children.length).toBeGreaterThan(0);
    expect(await accepts(port)).toBe(true);

    const done = exited(npm);
    npm.kill("SIGTERM");
    await done;
    await waitFor(async () => children.every((pid) => !isAlive(pid)), "the server process under npm to exit");
    expect(await accepts(port)).toBe(false);
    expect(out).toContain("SIGTERM: shutting down");
    expect(out).toContain("stopped");
  });
});
