import { describe } from "vitest";
import { errorBodiesSuite } from "./error-bodies-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => errorBodiesSuite("postgres"));
