import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { resolvers } from "./resolvers.js";
import { createOrdersContext } from "./context.js";
import type { OrderCaptureDeps } from "./capture.js";

export const createOrdersSubgraph = (capture: OrderCaptureDeps) =>
  createSubgraph("orders", subgraphTypeDefs("orders"), resolvers, createOrdersContext(capture));
