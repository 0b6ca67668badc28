/** `janitor sandbox`: the sandbox account on its own, for trying `janitor scan` or any AWS tool. */

import { loadScenario } from "../../local/sandbox/scenario.ts";
import { startSandbox } from "../../local/sandbox/server.ts";

export async function sandboxCommand(
  options: { scenario: string; port: number },
  out = console,
): Promise<number> {
  const scenario = loadScenario(options.scenario, new Date());
  const sandbox = await startSandbox({ scenario, port: options.port });
  out.log(
    `Sandbox AWS account ${scenario.accountId} (${scenario.name}) on ${sandbox.url}. In another shell:\n`,
  );
  out.log(`  export AWS_ENDPOINT_URL=${sandbox.url} AWS_REGION=${scenario.region}`);
  out.log("  export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox");
  out.log("  npx janitor scan --format json\n");
  out.log("Press Ctrl-C to stop.");
  await new Promise<void>((resolveStop) => {
    process.once("SIGINT", resolveStop);
    process.once("SIGTERM", resolveStop);
  });
  out.log("\nCalls served:", sandbox.counts());
  await sandbox.close();
  return 0;
}
