/**
 * `janitor sandbox`: the sandbox account on its own, for trying `janitor scan` or any AWS tool.
 * S3 is served at the same URL: s3rver holds the scenario's objects (under `dataDir`, wiped and
 * re-seeded on every start so they match the scenario) behind the sandbox.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadScenario } from "../../local/sandbox/scenario.ts";
import { startSandboxAccount } from "../../local/sandbox-account.ts";

export async function sandboxCommand(
  options: { scenario: string; port: number; dataDir?: string },
  out = console,
): Promise<number> {
  const scenario = loadScenario(options.scenario, new Date());
  const dataDir = resolve(options.dataDir ?? ".janitor/sandbox");
  rmSync(join(dataDir, "s3"), { recursive: true, force: true });
  const { sandbox, seeded, close } = await startSandboxAccount({
    scenario,
    s3DataDir: join(dataDir, "s3"),
    port: options.port,
  });
  out.log(`Sandbox AWS account ${scenario.accountId} (${scenario.name}) on ${sandbox.url}.`);
  out.log(
    `S3 is served at the same URL: ${scenario.s3.buckets.length} buckets, ${seeded} objects (stored under ${join(dataDir, "s3")}).`,
  );
  out.log("In another shell:\n");
  out.log(`  export AWS_ENDPOINT_URL=${sandbox.url} AWS_REGION=${scenario.region}`);
  out.log("  export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox");
  out.log("  npx janitor scan --format json\n");
  out.log("Press Ctrl-C to stop.");
  await new Promise<void>((resolveStop) => {
    process.once("SIGINT", resolveStop);
    process.once("SIGTERM", resolveStop);
  });
  out.log("\nCalls served:", sandbox.counts());
  await close();
  return 0;
}
