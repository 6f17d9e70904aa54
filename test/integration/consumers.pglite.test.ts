import { consumersSuite } from "./consumers-suite.js";

consumersSuite("pglite");
