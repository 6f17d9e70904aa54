import { describe } from "vitest";
import { erpConnectorsSuite } from "./erp-connectors-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => erpConnectorsSuite("postgres"));
