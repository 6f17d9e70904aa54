import { describe } from "vitest";
import { healthSuite } from "./health-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => healthSuite("postgres"));
