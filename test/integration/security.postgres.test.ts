import { describe } from "vitest";
import { securitySuite } from "./security-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => securitySuite("postgres"));
