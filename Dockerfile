# syntax=docker/dockerfile:1
# One image for every process of the graph: the embedded all-in-one (default command), a subgraph
# (node dist/app/start-subgraph.js <name>), the gateway (node dist/app/start-gateway.js) and the
# migration runner (node dist/prisma/migrate.js apply). See compose.yaml and the README.

# --- build: dev dependencies, Prisma client, tsc and Vite ---------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependency install scripts are skipped (npm 11 runs only those in allowScripts anyway, and none
# is needed here); the project's own steps run explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm run build

# --- runtime: production dependencies, compiled output, the files read at run time -------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read from the project folder at run time (platform/project-root.ts): the subgraphs' SDL, the
# Prisma schema and migrations (the migration runner), the committed supergraph for reference.
COPY --from=build /app/subgraphs ./subgraphs
COPY --from=build /app/prisma/schema ./prisma/schema
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/supergraph.graphql ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 4000
# Healthy when /health/ready answers 200: supergraph loaded, database reachable and writable,
# every subgraph answering, memory below MEMORY_LIMIT_FRACTION (README, Health). Node's own
# fetch: the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, no shell or npm in between: docker stop's SIGTERM reaches the server process itself.
CMD ["node", "dist/app/start-embedded.js"]
