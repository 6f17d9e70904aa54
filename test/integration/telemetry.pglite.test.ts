import { telemetrySuite } from "./telemetry-suite.js";

telemetrySuite("pglite");
