import { stockReorderingSuite } from "./stock-reordering-suite.js";

stockReorderingSuite("pglite");
