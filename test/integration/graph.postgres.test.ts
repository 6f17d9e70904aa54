import { describe } from "vitest";
import { graphSuite } from "./graph-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

// The same suite against a real PostgreSQL server (started by the vitest global setup).
describe.runIf(postgresAvailable())("on a PostgreSQL server", () => graphSuite("postgres"));
