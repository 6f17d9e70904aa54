// `npm run token -- [--scopes a,b] [--customer ID] [--business-unit ID] [--sub NAME] [--expires 12h]`:
// signs an HS256 token with AUTH_HS256_SECRET, for development and tests against a gateway that
// uses the same secret. Default: every scope, subject "developer", 12 hours.
import { parseArgs } from "node:util";
import { signHs256Token } from "../platform/auth/tokens.js";
import { allScopes } from "../platform/auth/scopes.js";

const { values } = parseArgs({
  options: {
    scopes: { type: "string" },
    customer: { type: "string" },
    "business-unit": { type: "string" },
    sub: { type: "string" },
    expires: { type: "string" },
  },
});
const secret = process.env.AUTH_HS256_SECRET;
if (!secret) {
  console.error("AUTH_HS256_SECRET is not set: the token must be signed with the gateway's secret");
  process.exit(2);
}
const scopes = values.scopes
  ? values.scopes
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
  : allScopes;
const unknown = scopes.filter((s) => !allScopes.includes(s));
if (unknown.length) console.warn(`warning: unknown scope(s) ${unknown.join(", ")}; known: ${allScopes.join(", ")}`);
console.log(
  await signHs256Token(secret, {
    sub: values.sub ?? "developer",
    scopes,
    customerId: values.customer,
    businessUnitId: values["business-unit"],
    expiresIn: values.expires ?? "12h",
    issuer: process.env.AUTH_ISSUER || undefined,
    audience: process.env.AUTH_AUDIENCE || undefined,
  }),
);
