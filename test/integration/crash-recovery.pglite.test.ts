import { crashRecoverySuite } from "./crash-recovery-suite.js";

crashRecoverySuite("pglite");
