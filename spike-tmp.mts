import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startLocalDynamo } from "./shared/local/dynamo.ts";
import { DynamoStore } from "./shared/store/dynamo-store.ts";
import { sampleFinding } from "./test/fixtures/findings.ts";
const d = await startLocalDynamo();
const c = new DynamoDBClient({ endpoint: d.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const ops: string[] = [];
c.middlewareStack.add((next, ctx) => (args) => { ops.push(String(ctx.commandName)); return next(args); }, { step: "initialize", name: "count" });
const doc = DynamoDBDocumentClient.from(c);
await ensureTable(c, "tbl");
const store = new DynamoStore({ client: doc, tableName: "tbl" });
const many = Array.from({ length: 1000 }, (_, i) => sampleFinding(`e-${i}`));
const count = () => { const m: Record<string, number> = {}; for (const o of ops) m[o] = (m[o] ?? 0) + 1; ops.length = 0; return m; };
for (const [label, id, at, fs] of [["first", "s1", "2025-03-01T00:00:00Z", many], ["rerun", "s1", "2025-03-01T00:00:00Z", many], ["second", "s2", "2025-03-02T00:00:00Z", many.slice(0, 900)]] as const) {
  const t = performance.now();
  const r = await store.recordScan({ scanId: id, at: new Date(at), findings: [...fs], detectorsRun: ["idle-endpoint"] });
  console.log(label, Math.round(performance.now() - t), "ms", count(), Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.length])));
}
c.destroy(); await d.close();
