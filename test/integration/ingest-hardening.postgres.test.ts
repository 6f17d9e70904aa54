import { describe } from "vitest";
import { ingestHardeningSuite } from "./ingest-hardening-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => ingestHardeningSuite("postgres"));
