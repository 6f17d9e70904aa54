import { orderChannelsSuite } from "./order-channels-suite.js";

orderChannelsSuite("pglite");
