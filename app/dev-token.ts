// The development token `npm start` prints: a JWT holding every scope, signed with the HS256
// secret (AUTH_HS256_SECRET, or one generated for this run), so a new user can call the graph and
// open GraphiQL and the operations console at once. Never with NODE_ENV=production, and not when keys are asymmetric only.
import { signHs256Token } from "../platform/auth/tokens.js";
import { allScopes } from "../platform/auth/scopes.js";
import { isProduction, type AppSecurityOptions } from "./config.js";
import { CONSOLE_PATH } from "../gateway/console-page.js";

export async function printDevelopmentToken(security: AppSecurityOptions, graphqlUrl: string, ide: boolean, env: NodeJS.ProcessEnv = process.env) {
  const { enabled, keys } = security.authentication;
  if (!enabled) return console.log("\nAuthentication is OFF (AUTH_DISABLED=true): every caller has every right.");
  if (isProduction(env) || !keys.hs256Secret) return;
  const token = await signHs256Token(keys.hs256Secret, {
    sub: "developer",
    scopes: allScopes,
    expiresIn: "12h",
    issuer: keys.issuer,
    audience: keys.audience,
    clientName: "dev-token",
  });
  console.log(
    `\nDevelopment token (every scope, 12 h${security.generatedDevSecret ? "; signed with a secret generated for this run: set AUTH_HS256_SECRET to keep tokens across restarts" : ""}):`,
  );
  console.log(token);
  console.log(
    `  curl -H 'authorization: Bearer <token>' -H 'content-type: application/json' -d '{"query":"{ orders(first: 1) { totalCount } }"}' ${graphqlUrl}`,
  );
  if (ide) console.log(`  GraphiQL with it: ${graphqlUrl}#token=${token}`);
  console.log(`  Operations console with it: ${graphqlUrl.replace(/\/graphql$/, CONSOLE_PATH)}#token=${token}`);
}

/**
 * The authorization header the demo flows send through the app's own endpoints: a short-lived
 * token with every scope. Without an HS256 secret (asymmetric keys only) the app cannot sign one,
 * and the flows go without: their calls are then refused and logged, the generated data stays.
 */
export async function demoFlowsAuthorization(security: AppSecurityOptions): Promise<string | undefined> {
  const { enabled, keys } = security.authentication;
  if (!enabled || !keys.hs256Secret) return undefined;
  const token = await signHs256Token(keys.hs256Secret, {
    sub: "demo-flows",
    scopes: allScopes,
    expiresIn: "1h",
    issuer: keys.issuer,
    audience: keys.audience,
    clientName: "demo-flows",
  });
  return `Bearer ${token}`;
}
