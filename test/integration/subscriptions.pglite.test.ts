import { subscriptionsSuite } from "./subscriptions-suite.js";

subscriptionsSuite("pglite");
