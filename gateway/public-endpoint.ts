// What a gateway serves to the public on its port, the same in the embedded app and the standalone
// gateway process: the browser apps (IDE, console), the API catalog while introspection is on, and
// the GraphQL endpoint behind the security gate (token, rate, limits, trusted documents), with the
// public endpoint's batching and CORS rules.
import type { Express } from "express";
import type { ApolloServer } from "@apollo/server";
import type { GatewayContext } from "./context.js";
import type { GatewaySecurity } from "./security/index.js";
import type { MemoryGuard } from "../platform/limits/memory-guard.js";
import { mountGraphQL, type ServerConfig } from "../platform/http/server.js";
import { mountWebApps, type IdeChoice } from "./ide.js";
import { mountCatalog } from "./governance/catalog.js";
import { gatewayContextOf } from "./security/http-gate.js";

export interface PublicEndpointOptions {
  server: ApolloServer<GatewayContext>;
  security: GatewaySecurity;
  supergraphSdl: string;
  config: ServerConfig;
  memory: MemoryGuard;
  ide: IdeChoice;
}

export function mountPublicGateway(app: Express, { server, security, supergraphSdl, config, memory, ide }: PublicEndpointOptions) {
  mountWebApps(app, ide);
  if (security.options.introspection) mountCatalog(app, supergraphSdl);
  mountGraphQL(app, {
    path: "/graphql",
    server,
    context: gatewayContextOf,
    bodyLimit: config.bodyLimit,
    bodyLimitVariable: "BODY_LIMIT",
    memory,
    publicEndpoint: { batchMax: config.batchMax, corsOrigins: config.corsOrigins },
    gates: [security.httpGate],
  });
}
