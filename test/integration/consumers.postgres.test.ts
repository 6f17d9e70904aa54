import { describe } from "vitest";
import { consumersSuite } from "./consumers-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => consumersSuite("postgres"));
