import { describe } from "vitest";
import { orderCaptureSuite } from "./order-capture-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => orderCaptureSuite("postgres"));
