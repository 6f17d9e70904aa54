// Proves the database accepts writes: upserts this process's row in platform."HealthProbe".
// A read-only failover, a full disk or a lock held on the table all make it fail or wait (the
// caller bounds the wait). Rows of processes gone for a week are pruned now and then.
import os from "node:os";
import type { Db } from "./client.js";

const processId = `${os.hostname()}:${process.pid}`;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
let lastPrune = 0;

export async function probeWrite(db: Db): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "platform"."HealthProbe" ("process", "checkedAt") VALUES (${processId}, now())
    ON CONFLICT ("process") DO UPDATE SET "checkedAt" = now()`;
  if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = Date.now();
    await db.$executeRaw`DELETE FROM "platform"."HealthProbe" WHERE "checkedAt" < now() - interval '7 days'`;
  }
}
