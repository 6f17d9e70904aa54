// `npm run db:seed`: loads the demo data set into the configured store (DATABASE_URL or DATA_DIR)
// if it is empty, applying migrations first. For distributed mode; `npm start` does it itself.
import { describeStore, openDatabase, storeConfigFromEnv } from "../platform/db/index.js";
import { isStoreEmpty, loadDemoData } from "../demo/load.js";

const config = storeConfigFromEnv();
const database = await openDatabase(config);
try {
  if (!(await isStoreEmpty(database.db))) {
    console.log(`${describeStore(config)} already holds data: nothing loaded.`);
  } else {
    const { counts } = await loadDemoData(database.db);
    console.log(
      `Loaded the demo data set into ${describeStore(config)}: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}`,
    );
  }
} finally {
  await database.close();
}
process.exit(0);
