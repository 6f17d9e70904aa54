import { describe } from "vitest";
import { orderToCashTraceSuite } from "./order-to-cash-trace-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => orderToCashTraceSuite("postgres"));
