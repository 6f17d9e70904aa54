// The browser IDE a person gets when opening the gateway's GraphQL URL: GraphiQL by default,
// bundled at build time (web/graphiql, Vite) and served from this process, so it works with no
// internet access; subscriptions run in it over graphql-ws. GRAPHQL_IDE=sandbox serves Apollo
// Sandbox instead (loaded from Apollo's CDN, so it needs the internet); off serves no page.
import fs from "node:fs";
import path from "node:path";
import express, { type Express } from "express";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { projectPath } from "../platform/project-root.js";
import { log } from "../platform/telemetry/log.js";
import { mountConsole } from "./console-page.js";

export const ideChoices = ["graphiql", "sandbox", "off"] as const;
export type IdeChoice = (typeof ideChoices)[number];

/** Where the gateway serves the built browser apps (dist/web); Vite's `base` in web/vite.config.ts. */
export const WEB_BASE_PATH = "/web";
export const webBuildDir = () => projectPath("dist", "web");

/** The landing page plugin for the gateway's Apollo Server. */
export function ideLandingPage(choice: IdeChoice): ApolloServerPlugin {
  if (choice === "off") return ApolloServerPluginLandingPageDisabled();
  if (choice === "sandbox") return ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false });
  return {
    async serverWillStart() {
      const html = graphiqlHtml();
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}

function graphiqlHtml(): string {
  const file = path.join(webBuildDir(), "graphiql", "index.html");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  log.warn({ component: "gateway" }, `GraphiQL is not built (${file} is missing): run npm run build`);
  return `<!doctype html><meta charset="utf-8"><title>GraphiQL is not built</title>
<p>GraphiQL has not been built in this checkout. Run <code>npm run build</code> (or <code>npm run build:web</code>) and restart the gateway.
POST GraphQL requests to this URL in the meantime.</p>`;
}

/**
 * Serves the built browser apps under /web (hashed assets cached for a year, pages revalidated),
 * the operations console at /console (whatever the IDE choice), and sends a browser that opens the
 * root to the IDE.
 */
export function mountWebApps(app: Express, choice: IdeChoice, graphqlPath = "/graphql") {
  app.use(
    WEB_BASE_PATH,
    express.static(webBuildDir(), {
      index: "index.html",
      fallthrough: true,
      setHeaders: (res, file) =>
        res.setHeader("cache-control", file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache"),
    }),
  );
  mountConsole(app, webBuildDir());
  if (choice !== "off") app.get("/", (_req, res) => res.redirect(302, graphqlPath));
}
