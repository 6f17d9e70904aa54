// `npm start`'s ERPs: the Business Central stand-in on 127.0.0.1 (the default cloud ERP unless
// ERP_CLOUD_BASE_URL names a real one) and a file-ERP stand-in on each FILE_EXCHANGE folder, so
// the default setup posts over real HTTP and real files. Distributed processes start none: they
// post to the ERPs their connectors and ERP_CLOUD_* name.
import path from "node:path";
import type { Db } from "../platform/db/client.js";
import type { ErpProcessOptions } from "./config.js";
import type { ErpRuntimeOptions } from "../subgraphs/erp-finance/erp-sync/runtime.js";
import { BusinessCentralStandIn } from "../subgraphs/erp-finance/stand-in/business-central.js";
import { FileErpStandIn } from "../subgraphs/erp-finance/stand-in/file-erp.js";
import { seedStandInCustomers } from "../subgraphs/erp-finance/stand-in/seed.js";

export interface ErpStandIns {
  /** What the host's ERP runtime is given (the stand-in as the default cloud ERP when it runs). */
  runtime: Omit<ErpRuntimeOptions, "registry">;
  cloud: BusinessCentralStandIn | null;
  files: FileErpStandIn[];
  close(): Promise<void>;
}

/** The ERP runtime options of a process, without stand-ins. */
export function erpRuntimeOptions(o: ErpProcessOptions, defaultCloud: ErpRuntimeOptions["defaultCloud"] = o.cloud): Omit<ErpRuntimeOptions, "registry"> {
  return {
    defaultCloud,
    secrets: o.secrets,
    fileRoot: o.fileRoot,
    requestTimeoutMs: o.requestTimeoutMs,
    fileSettleMs: o.fileSettleMs,
    postingPollMs: o.postingPollMs,
  };
}

export async function startErpStandIns(db: Db, o: ErpProcessOptions): Promise<ErpStandIns> {
  let cloud: BusinessCentralStandIn | null = null;
  if (o.standIn && !o.cloud) {
    cloud = await new BusinessCentralStandIn({ port: o.standInPort }).start();
    await seedStandInCustomers(db, cloud);
  }
  const files: FileErpStandIn[] = [];
  if (o.fileStandIn) {
    for (const c of await db.erpConnector.findMany({ where: { kind: "FILE_EXCHANGE", enabled: true } })) {
      if (c.folder) files.push(new FileErpStandIn({ root: path.resolve(o.fileRoot, c.folder) }).start());
    }
  }
  return {
    runtime: erpRuntimeOptions(o, o.cloud ?? (cloud ? cloud.endpoint() : null)),
    cloud,
    files,
    async close() {
      await Promise.all(files.map((f) => f.stop()));
      await cloud?.stop();
    },
  };
}
