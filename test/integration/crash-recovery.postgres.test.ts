import { describe } from "vitest";
import { crashRecoverySuite } from "./crash-recovery-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => crashRecoverySuite("postgres"));
