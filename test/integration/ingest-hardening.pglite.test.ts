import { ingestHardeningSuite } from "./ingest-hardening-suite.js";

ingestHardeningSuite("pglite");
