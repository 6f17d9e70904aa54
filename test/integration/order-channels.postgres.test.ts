import { describe } from "vitest";
import { orderChannelsSuite } from "./order-channels-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => orderChannelsSuite("postgres"));
