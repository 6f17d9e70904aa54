// Security settings for the benchmark servers. The throughput benchmarks measure the pipeline, so
// they run with authentication off and the per-subgraph endpoints on (the gateway-overhead bench
// compares against them); bench:security runs the same server with everything on, against "off".
import { securityOptionsFromEnv, type AppSecurityOptions } from "../app/config.js";
import { OPEN_SECURITY } from "../gateway/security/index.js";

/** The HS256 secret of the "on" server; bench:security signs its token with it. */
export const BENCH_SECRET = "bench-secret-for-hs256-tokens-0123456789abcdef";

export function benchSecurity(on = process.env.BENCH_SECURITY === "on"): AppSecurityOptions {
  if (!on)
    return {
      ...securityOptionsFromEnv({ AUTH_DISABLED: "true" }),
      ...OPEN_SECURITY,
      subgraphDebugEndpoints: true,
      ingestApiKeys: new Map(),
      generatedDevSecret: false,
    };
  // Every control as in production, the rate limit high enough never to refuse one client's load
  // (its bookkeeping still runs on every request).
  return securityOptionsFromEnv({
    AUTH_HS256_SECRET: BENCH_SECRET,
    RATE_LIMIT_PER_MINUTE: "1000000000",
    RATE_LIMIT_BURST: "1000000",
    SUBGRAPH_DEBUG_ENDPOINTS: "true",
  });
}
