import { describe } from "vitest";
import { orderConcurrencySuite } from "./order-concurrency-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => orderConcurrencySuite("postgres"));
