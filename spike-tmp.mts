import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startLocalDynamo } from "./shared/local/dynamo.ts";
import { DynamoStore } from "./shared/store/dynamo-store.ts";
import { sampleFinding } from "./test/fixtures/findings.ts";
const d = await startLocalDynamo();
const c = new DynamoDBClient({ endpoint: d.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const doc = DynamoDBDocumentClient.from(c);
await ensureTable(c, "tbl");
for (const conc of [1, 4, 16]) {
  const store = new DynamoStore({ client: doc, tableName: "tbl", concurrency: conc });
  const many = Array.from({ length: 100 }, (_, i) => sampleFinding(`e${conc}-${i}`));
  const t = performance.now();
  await store.recordScan({ scanId: `s${conc}`, at: new Date(), findings: many, detectorsRun: [] });
  console.log(conc, (performance.now() - t) / 100);
}
c.destroy(); await d.close();
