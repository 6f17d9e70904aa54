import { describe } from "vitest";
import { ingestSuite } from "./ingest-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => ingestSuite("postgres"));
