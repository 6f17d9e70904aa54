import { exceptionsSuite } from "./exceptions-suite.js";

exceptionsSuite("pglite");
