// Tests that start a command as its own process run what users run: the compiled entry point in
// dist/ with plain node (`npm start` and friends), not the TypeScript source through a loader,
// which also starts several times faster. The global setup (build-global-setup.ts) rebuilds dist/
// first when any source changed, so these processes always run the code under test.
import { projectPath } from "../../platform/project-root.js";

/** The compiled file for a source entry point, e.g. compiledEntry("app/start-embedded.ts"). */
export const compiledEntry = (source: string) => projectPath("dist", source.replace(/\.ts$/, ".js"));
