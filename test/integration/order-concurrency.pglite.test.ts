import { orderConcurrencySuite } from "./order-concurrency-suite.js";

orderConcurrencySuite("pglite");
