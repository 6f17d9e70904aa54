// Helpers for ingestion tests: POST raw bodies, snapshot state to prove nothing changed.
import type { Db } from "../../platform/db/client.js";

export async function post(baseUrl: string, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, baseUrl), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: body as BodyInit });
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
