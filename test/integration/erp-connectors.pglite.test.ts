import { erpConnectorsSuite } from "./erp-connectors-suite.js";

erpConnectorsSuite("pglite");
