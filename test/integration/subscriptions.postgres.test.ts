import { describe } from "vitest";
import { subscriptionsSuite } from "./subscriptions-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => subscriptionsSuite("postgres"));
