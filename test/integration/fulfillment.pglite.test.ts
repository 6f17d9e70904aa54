import { fulfillmentSuite } from "./fulfillment-suite.js";

fulfillmentSuite("pglite");
