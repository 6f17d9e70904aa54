import { describe } from "vitest";
import { telemetrySuite } from "./telemetry-suite.js";
import { postgresAvailable } from "../helpers/databases.js";

describe.runIf(postgresAvailable())("on a PostgreSQL server", () => telemetrySuite("postgres"));
