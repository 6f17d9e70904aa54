// One Vite build for every browser app the gateway serves (GraphiQL at /graphql, the operations
// console at /console): each app is a folder under web/ with an index.html, added to `apps` below. They share
// one output folder (dist/web, served by the gateway under /web/) so common chunks such as React
// are built and cached once. Everything is bundled from node_modules: nothing is loaded from a
// CDN at run time, so the pages work on a machine with no internet access.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const here = path.dirname(fileURLToPath(import.meta.url));
const apps = ["graphiql", "console"];

export default defineConfig({
  root: here,
  // Must match WEB_BASE_PATH in gateway/ide.ts, where the gateway mounts dist/web.
  base: "/web/",
  plugins: [react()],
  build: {
    outDir: path.join(here, "..", "dist", "web"),
    emptyOutDir: true,
    // The IDE's editor (Monaco) is large by nature; it is served locally, so the warning is noise.
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      input: Object.fromEntries(apps.map((app) => [app, path.join(here, app, "index.html")])),
      // The "plugins took N s" report: on a busy 2-core machine it fires on every build (the tests'
      // global setup builds too) and says nothing about the bundle.
      checks: { bundlerTimings: false },
      onwarn(warning, warn) {
        // GraphiQL ships React Compiler output marked "use no memo"; the directive means nothing
        // once bundled, and the warnings would bury real ones.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  worker: { format: "es" },
  // `npm run dev:web`: the apps with hot reload, talking to a gateway on :4000 (`npm run dev`).
  server: {
    port: 4173,
    proxy: { "/graphql": { target: "http://127.0.0.1:4000", ws: true } },
  },
});
