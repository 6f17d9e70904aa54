import { describe } from "vitest";
import { postgresAvailable } from "../helpers/databases.js";
import { entityCacheSuite } from "./entity-cache-suite.js";

describe.runIf(postgresAvailable())("entity cache (two all-in-one replicas on PostgreSQL)", () => entityCacheSuite("postgres"));
