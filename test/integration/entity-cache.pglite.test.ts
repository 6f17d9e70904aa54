import { describe } from "vitest";
import { entityCacheSuite } from "./entity-cache-suite.js";

describe("entity cache (PGlite, one process)", () => entityCacheSuite("pglite"));
