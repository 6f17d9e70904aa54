import { errorBodiesSuite } from "./error-bodies-suite.js";

errorBodiesSuite("pglite");
