// A business unit's connector from its finance.ErpConnector row and this process's settings
// (app/config.ts erpOptionsFromEnv): the default cloud ERP for rows without a base URL (a real
// one by ERP_CLOUD_*, else the stand-in), secrets from ERP_SECRET_<ref>, the file root.
import path from "node:path";
import type { ErpConnector } from "../../../platform/db/generated/client.js";
import { BusinessCentralConnector } from "../sources/erp/business-central/connector.js";
import { FileExchangeConnector } from "../sources/erp/file-exchange/connector.js";
import type { ErpConnectorApi } from "../sources/erp/connector.js";

export interface CloudErpEndpoint {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string | null;
  companyId: string | null;
}

export interface ErpSettings {
  /** For CLOUD_REST rows without a baseUrl: ERP_CLOUD_BASE_URL..., else the stand-in's; null: none. */
  defaultCloud: CloudErpEndpoint | null;
  /** ERP_SECRET_<ref> values by ref. */
  secrets: Record<string, string>;
  /** ERP_FILE_ROOT: relative FILE_EXCHANGE folders are under it. */
  fileRoot: string;
  /** ERP_REQUEST_TIMEOUT_MS: deadline of each request to a cloud ERP. */
  requestTimeoutMs: number;
  /** An inbound file is read once unchanged this long (ERP_FILE_SETTLE_MS). */
  fileSettleMs: number;
}

export function buildConnector(row: ErpConnector, settings: ErpSettings): ErpConnectorApi | { problem: string } {
  if (!row.enabled) return { problem: `the ERP connector of ${row.businessUnitId} is disabled` };
  if (row.kind === "FILE_EXCHANGE") {
    if (!row.folder) return { problem: `the file exchange of ${row.businessUnitId} has no folder configured` };
    const root = path.resolve(settings.fileRoot, row.folder);
    return new FileExchangeConnector({ businessUnitId: row.businessUnitId, system: row.system, root, settleMs: settings.fileSettleMs });
  }
  let endpoint: CloudErpEndpoint;
  if (row.baseUrl) {
    const secret = row.clientSecretRef ? settings.secrets[row.clientSecretRef] : undefined;
    if (!row.tokenUrl || !row.clientId) return { problem: `the cloud ERP of ${row.businessUnitId} needs tokenUrl and clientId with its baseUrl` };
    if (!secret)
      return { problem: `the cloud ERP of ${row.businessUnitId} names no client secret: set ERP_SECRET_${row.clientSecretRef ?? "<ref>"} and clientSecretRef` };
    endpoint = { baseUrl: row.baseUrl, tokenUrl: row.tokenUrl, clientId: row.clientId, clientSecret: secret, scope: row.scope, companyId: row.companyId };
  } else {
    if (!settings.defaultCloud)
      return {
        problem: `no cloud ERP for ${row.businessUnitId}: its connector has no baseUrl, ERP_CLOUD_BASE_URL is not set and the stand-in is off (ERP_STANDIN)`,
      };
    endpoint = { ...settings.defaultCloud, companyId: row.companyId ?? settings.defaultCloud.companyId };
  }
  return new BusinessCentralConnector({
    ...endpoint,
    businessUnitId: row.businessUnitId,
    system: row.system,
    chargeAccount: row.chargeAccount,
    taxAccount: row.taxAccount,
    timeoutMs: settings.requestTimeoutMs,
  });
}
