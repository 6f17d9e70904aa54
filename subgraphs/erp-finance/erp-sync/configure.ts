// configureErpConnector: checks a connector's settings and stores them (one per business unit).
import type { Db } from "../../../platform/db/client.js";
import type { ErpConnector, ErpConnectorKind } from "../../../platform/db/generated/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../../../platform/errors.js";

export interface ErpConnectorInput {
  kind: ErpConnectorKind;
  system?: string | null;
  enabled?: boolean | null;
  baseUrl?: string | null;
  companyId?: string | null;
  tokenUrl?: string | null;
  clientId?: string | null;
  scope?: string | null;
  clientSecretRef?: string | null;
  chargeAccount?: string | null;
  taxAccount?: string | null;
  folder?: string | null;
  pollIntervalMs?: number | null;
  maxAttempts?: number | null;
  ackTimeoutMinutes?: number | null;
}

const url = (name: string, value: string | null | undefined) => {
  if (!value) return null;
  try {
    const u = new URL(value);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error();
  } catch {
    throw invalidArgument(`input.${name}`, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, "");
};

export async function configureErpConnector(db: Db, businessUnitId: string, input: ErpConnectorInput): Promise<ErpConnector> {
  const unit = await db.businessUnit.findUnique({ where: { id: businessUnitId } });
  if (!unit) throw new DomainError(ErrorCode.NOT_FOUND, `business unit ${businessUnitId} does not exist`);
  const pollIntervalMs = input.pollIntervalMs ?? 30_000;
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 1000)
    throw invalidArgument("input.pollIntervalMs", "must be a whole number of milliseconds >= 1000");
  const maxAttempts = input.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw invalidArgument("input.maxAttempts", "must be from 1 to 100");
  const ackTimeoutMinutes = input.ackTimeoutMinutes ?? 1440;
  if (!Number.isInteger(ackTimeoutMinutes) || ackTimeoutMinutes < 1) throw invalidArgument("input.ackTimeoutMinutes", "must be a whole number >= 1");
  if (input.clientSecretRef && !/^[A-Z0-9_]{1,64}$/.test(input.clientSecretRef))
    throw invalidArgument("input.clientSecretRef", "must be upper-case letters, digits and _ (it names ERP_SECRET_<ref>)");
  const baseUrl = url("baseUrl", input.baseUrl);
  const tokenUrl = url("tokenUrl", input.tokenUrl);
  if (input.kind === "FILE_EXCHANGE" && !input.folder?.trim()) throw invalidArgument("input.folder", "is required for FILE_EXCHANGE");
  if (input.kind === "CLOUD_REST" && baseUrl && (!tokenUrl || !input.clientId || !input.clientSecretRef)) {
    throw invalidArgument(
      "input",
      "a CLOUD_REST connector with a baseUrl needs tokenUrl, clientId and clientSecretRef (without baseUrl it uses the default cloud ERP)",
    );
  }
  const system = input.system?.trim() || unit.erpSystem;
  if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(system))
    throw invalidArgument("input.system", `must be an upper-case system name (DYNAMICS_365, SAP_ECC), got ${JSON.stringify(system)}`);
  const data = {
    kind: input.kind,
    system,
    enabled: input.enabled ?? true,
    baseUrl,
    companyId: input.companyId ?? null,
    tokenUrl,
    clientId: input.clientId ?? null,
    scope: input.scope ?? null,
    clientSecretRef: input.clientSecretRef ?? null,
    chargeAccount: input.chargeAccount ?? "6810",
    taxAccount: input.taxAccount ?? "2310",
    folder: input.kind === "FILE_EXCHANGE" ? input.folder!.trim() : null,
    pollIntervalMs,
    maxAttempts,
    ackTimeoutMinutes,
  };
  return db.erpConnector.upsert({ where: { businessUnitId }, create: { businessUnitId, ...data }, update: data });
}
