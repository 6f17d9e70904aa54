import { orderCaptureSuite } from "./order-capture-suite.js";

orderCaptureSuite("pglite");
