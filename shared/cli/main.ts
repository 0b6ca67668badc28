/** The `janitor` command line: demo, scan, validate, sandbox. */
import { Command, Option } from "commander";
import { scanCommand } from "./commands/scan.ts";
import { validateCommand } from "./commands/validate.ts";

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name("janitor")
    .description("Finds ML waste in an AWS account, asks the owner in Slack, cleans up safely.")
    .showHelpAfterError();

  program
    .command("demo")
    .description("run the whole flow on the built-in sandbox account (no AWS account or Slack needed)")
    .option("--scenario <file>", "scenario file", "shared/local/scenarios/demo.json")
    .option("--config <file>", "janitor config", "janitor.yml")
    .action(async (o: { scenario: string; config: string }) => {
      // The in-process Lambda handlers log JSON through Powertools; the demo prints its own story.
      process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
      const { demoCommand } = await import("./commands/demo.ts");
      exitCode = await demoCommand(o);
    });

  program
    .command("scan")
    .description("read-only scan of the account in the standard AWS configuration")
    .option("--config <file>", "janitor config", "janitor.yml")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--detectors <list>", "only these detector types, comma separated")
    .option("--region <region>", "scan this region instead of the config's regions")
    .action(async (o) => {
      exitCode = await scanCommand(o);
    });

  program
    .command("validate")
    .description("check a janitor.yml and list every problem")
    .argument("[file]", "config file", "janitor.yml")
    .action(async (file: string) => {
      exitCode = await validateCommand(file);
    });

  program
    .command("restore")
    .description("recreate a resource the janitor deleted (or restart one it stopped) from its undo record")
    .argument("<finding-id>", "the finding's id (in the Slack message, the audit log and scan output)")
    .option("--table <name>", "the janitor's DynamoDB table (default: $TABLE_NAME)")
    .option("--region <region>", "AWS region of the table")
    .action(async (findingId: string, o: { table?: string; region?: string }) => {
      const { restoreCommand } = await import("./commands/restore.ts");
      exitCode = await restoreCommand(findingId, o);
    });

  program
    .command("sandbox")
    .description(
      "serve the sandbox AWS account on 127.0.0.1 until interrupted (point AWS_ENDPOINT_URL at it)",
    )
    .option("--scenario <file>", "scenario file", "shared/local/scenarios/demo.json")
    .option("--port <port>", "port (0 = any free port)", "4566")
    .option(
      "--data-dir <dir>",
      "where the S3 objects are kept (wiped and re-seeded on start)",
      ".janitor/sandbox",
    )
    .action(async (o: { scenario: string; port: string; dataDir: string }) => {
      const { sandboxCommand } = await import("./commands/sandbox.ts");
      exitCode = await sandboxCommand({ scenario: o.scenario, port: Number(o.port), dataDir: o.dataDir });
    });

  program
    .command("notebooks")
    .description("SageMaker notebook instance helpers")
    .command("install-heartbeat")
    .description(
      "create the activity-heartbeat lifecycle config and attach it to stopped notebook instances (running ones are left alone)",
    )
    .option("--notebook <name>", "this notebook instance")
    .option("--all", "every notebook instance in the region")
    .option("--dry-run", "say what would be done, change nothing")
    .option("--config-name <name>", "lifecycle config name", "ml-janitor-heartbeat")
    .action(async (o: { notebook?: string; all?: boolean; dryRun?: boolean; configName: string }) => {
      const { installHeartbeatCommand } = await import("./commands/notebooks.ts");
      exitCode = await installHeartbeatCommand(o);
    });

  await program.parseAsync(argv);
  return exitCode;
}
