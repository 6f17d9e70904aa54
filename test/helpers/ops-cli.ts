// Runs the ops CLI (`npm run ops -- ...`) as its own process against a gateway, without blocking
// this process, which may host that very server.
import { execFile } from "node:child_process";
import { adminToken } from "./auth.js";
// The compiled CLI, as users run it (npm run ops): several times faster to start than through tsx.
import { compiledEntry } from "./compiled.js";

export async function runOps(gatewayUrl: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const token = await adminToken();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [compiledEntry("scripts/ops.ts"), ...args],
      { env: { ...process.env, GATEWAY_URL: gatewayUrl, GATEWAY_TOKEN: token }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
