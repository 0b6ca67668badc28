#!/usr/bin/env node
// The `janitor` command. Runs the TypeScript sources through tsx, so a fresh clone needs no build step.
import { register } from "tsx/esm/api";

// The AWS SDK warns that Node 20 support ends; the CLI runs fine on it and users need not see that.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../shared/cli/main.ts");
process.exitCode = await main(process.argv);
