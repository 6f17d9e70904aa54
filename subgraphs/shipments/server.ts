import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { resolvers } from "./resolvers.js";
import { createShipmentsContext } from "./context.js";

export const createShipmentsSubgraph = () => createSubgraph("shipments", resolvers, createShipmentsContext);
