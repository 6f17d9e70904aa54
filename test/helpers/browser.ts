// A real headless browser for the pages the gateway serves: Debian's chromium (apt-get install
// chromium; .ci/run installs it) driven by playwright-core, which downloads no browser of its own.
// CHROMIUM_PATH points at another binary.
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const chromiumPath = () => process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) throw new Error(`No chromium at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // --no-sandbox: CI runs as root in a container, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}
