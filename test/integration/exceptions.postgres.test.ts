import { describe } from "vitest";
import { exceptionsSuite } from "./exceptions-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => exceptionsSuite("postgres"));
