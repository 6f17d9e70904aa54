import { describe } from "vitest";
import { fulfillmentSuite } from "./fulfillment-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => fulfillmentSuite("postgres"));
