import { describe } from "vitest";
import { kpisSuite } from "./kpis-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => kpisSuite("postgres"));
