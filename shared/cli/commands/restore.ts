/**
 * `janitor restore <finding-id>`: recreate what the janitor deleted (or restart what it
 * stopped) from the saved undo record, outside Slack. Uses the deployed table (`--table` or
 * TABLE_NAME) and the standard AWS configuration.
 */
import { userInfo } from "node:os";
import { AwsClients } from "../../aws/clients.ts";
import { DynamoStore } from "../../store/dynamo-store.ts";
import { restoreFinding } from "../../workflow/restore.ts";

export async function restoreCommand(
  findingId: string,
  options: { table?: string; region?: string },
  out = console,
): Promise<number> {
  const tableName = options.table ?? process.env.TABLE_NAME;
  if (!tableName) {
    out.error("which table? pass --table <name> or set TABLE_NAME (the stack output JanitorTableName)");
    return 2;
  }
  const region = options.region ?? process.env.AWS_REGION;
  const clients = new AwsClients(region ? { region } : {});
  try {
    const store = new DynamoStore({ client: clients.documents, tableName });
    const result = await restoreFinding({
      findingId,
      actor: `cli:${userInfo().username}`,
      store,
      clients,
      now: new Date(),
    });
    if (result.status === "restored") {
      out.log(`Restored ${result.resourceArn}: ${result.detail}`);
      return 0;
    }
    out.error(`Nothing restored: ${result.detail}`);
    return result.status === "already-restored" ? 0 : 1;
  } finally {
    clients.destroy();
  }
}
