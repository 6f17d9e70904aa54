// `npm run build`: compiles the server (tsc -> dist/, run with plain node) and bundles the browser
// apps (Vite -> dist/web/). Plain JavaScript so it runs before anything is compiled.
//
//   node scripts/build.mjs                 build everything
//   node scripts/build.mjs server|web      build one part
//   node scripts/build.mjs --if-stale      build only the parts whose sources changed since their
//                                          last build (the start commands run this first, so
//                                          `npm start` never runs stale output)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const dist = path.join(root, "dist");

const serverDirs = ["app", "gateway", "subgraphs", "platform", "prisma", "scripts", "demo"];
const targets = {
  server: {
    inputs: [...serverDirs, "tsconfig.json", "tsconfig.build.json", "package-lock.json"],
    matches: (f) => /\.(ts|mts|json)$/.test(f),
    stamp: path.join(dist, ".server-build"),
    run() {
      // Start clean so a deleted or renamed module cannot linger in dist/.
      for (const dir of serverDirs) fs.rmSync(path.join(dist, dir), { recursive: true, force: true });
      return exec("tsc", [tool("typescript", "tsc"), "-p", path.join(root, "tsconfig.build.json")]);
    },
  },
  web: {
    inputs: ["web", "package-lock.json"],
    matches: () => true,
    stamp: path.join(dist, "web", ".build"),
    // NODE_ENV=production whatever the caller's: Vite keeps an inherited NODE_ENV, and under vitest
    // (NODE_ENV=test, the tests' global setup builds too) it would bundle React's development build.
    run: () =>
      exec("vite", [tool("vite", "vite"), "build", "--config", path.join(root, "web", "vite.config.ts"), "--logLevel", "warn"], { NODE_ENV: "production" }),
  },
};

/** The path of a dev dependency's command-line entry, e.g. tool("vite", "vite"). */
function tool(pkg, bin) {
  try {
    const manifest = require.resolve(`${pkg}/package.json`);
    const bins = JSON.parse(fs.readFileSync(manifest, "utf8")).bin;
    return path.join(path.dirname(manifest), typeof bins === "string" ? bins : bins[bin]);
  } catch {
    console.error(`build: ${pkg} is not installed (an install without dev dependencies?). Run npm install, or use the Docker image, which is built with them.`);
    process.exit(1);
  }
}

function exec(name, args, env = {}) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`build: ${name} failed`);
    process.exit(result.status ?? 1);
  }
}

function newestInput(target) {
  let newest = 0;
  const visit = (p) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) if (entry !== "node_modules" && entry !== "dist") visit(path.join(p, entry));
    } else if (target.matches(p)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of target.inputs) visit(path.join(root, input));
  return newest;
}

const args = process.argv.slice(2);
const ifStale = args.includes("--if-stale");
const names = args.filter((a) => !a.startsWith("--"));
for (const name of names.length ? names : Object.keys(targets)) {
  const target = targets[name];
  if (!target) {
    console.error(`build: unknown part "${name}" (server, web)`);
    process.exit(2);
  }
  const built = fs.statSync(target.stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (ifStale && built >= newestInput(target)) continue;
  const started = Date.now();
  if (ifStale) console.error(`build: ${name} sources changed since the last build; building…`);
  target.run();
  fs.mkdirSync(path.dirname(target.stamp), { recursive: true });
  fs.writeFileSync(target.stamp, new Date().toISOString() + "\n");
  console.error(`build: ${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
