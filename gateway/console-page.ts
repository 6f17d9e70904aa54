// The live operations console (web/console, Vite + React) at /console: KPI tiles and charts, the
// stock ticker and order status feed over this gateway's own graphql-ws subscriptions, the
// exception queue and the trace view. The page is static and holds no data: everything it shows
// comes from /graphql with the bearer token the operator gives it (#token=<jwt>, like GraphiQL),
// so serving it needs no authentication of its own. Served whatever GRAPHQL_IDE says: the console
// is for operations staff, the IDE for developers.
import fs from "node:fs";
import path from "node:path";
import type { Express } from "express";
import { log } from "../platform/telemetry/log.js";

export const CONSOLE_PATH = "/console";

/** The console's built page: dist/web/console/index.html (its assets are under /web/assets). */
export const consolePageFile = (webDir: string) => path.join(webDir, "console", "index.html");

export function mountConsole(app: Express, webDir: string) {
  let warned = false;
  app.get([CONSOLE_PATH, `${CONSOLE_PATH}/`], (_req, res) => {
    // Read per request (a small file): a rebuild while the server runs is picked up, never a page
    // pointing at hashed assets that no longer exist.
    const file = consolePageFile(webDir);
    let html: string;
    try {
      html = fs.readFileSync(file, "utf8");
    } catch {
      if (!warned) log.warn({ component: "gateway" }, `the operations console is not built (${file} is missing): run npm run build`);
      warned = true;
      res.status(503).type("text/plain").send("The operations console is not built in this checkout: run npm run build (or npm run build:web) and reload.");
      return;
    }
    res.setHeader("cache-control", "no-cache");
    res.type("html").send(html);
  });
}
