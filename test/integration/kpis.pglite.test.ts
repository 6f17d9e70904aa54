import { kpisSuite } from "./kpis-suite.js";

kpisSuite("pglite");
