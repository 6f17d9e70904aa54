import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { resolvers } from "./resolvers.js";
import { createShipmentsContext } from "./context.js";

export const createShipmentsSubgraph = () => createSubgraph("shipments", subgraphTypeDefs("shipments"), resolvers, createShipmentsContext);
