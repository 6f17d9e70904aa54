// Helpers for ingestion tests: POST raw bodies, snapshot state to prove nothing changed.
import type { Db } from "../../platform/db/client.js";
import { withAuthorization } from "./graphql.js";
import { API_KEY_HEADER } from "../../platform/ingest/auth/ingest-access.js";

export async function post(baseUrl: string, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  // An ingest token unless the test authenticates otherwise (x-api-key, its own or an empty authorization).
  const auth = Object.keys(headers).some((k) => k.toLowerCase() === API_KEY_HEADER) ? headers : await withAuthorization(headers);
  const res = await fetch(new URL(path, baseUrl), { method: "POST", headers: { "content-type": "application/json", ...auth }, body: body as BodyInit });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* leave null */
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Everything ingestion could change, in a comparable form. */
export async function stockState(db: Db) {
  const [positions, events, movements] = await Promise.all([
    db.inventoryPosition.findMany({ orderBy: [{ sku: "asc" }, { locationId: "asc" }] }),
    db.eventLog.count(),
    db.stockMovement.count(),
  ]);
  return { positions: positions.map((p) => ({ ...p, asOf: p.asOf.toISOString(), levelAsOf: p.levelAsOf?.toISOString() ?? null })), events, movements };
}
