import { orderToCashTraceSuite } from "./order-to-cash-trace-suite.js";

orderToCashTraceSuite("pglite");
