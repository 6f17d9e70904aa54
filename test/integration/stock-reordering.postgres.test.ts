import { describe } from "vitest";
import { stockReorderingSuite } from "./stock-reordering-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => stockReorderingSuite("postgres"));
