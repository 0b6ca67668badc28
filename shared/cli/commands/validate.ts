import { ConfigError } from "../../errors.ts";
import { loadConfig } from "../../policy/load-config.ts";

/** `janitor validate [file]`: 0 when valid, 2 with every problem listed otherwise. */
export async function validateCommand(file: string, out = console): Promise<number> {
  try {
    const config = await loadConfig(file);
    out.log(
      `${file} is valid: ${config.policies.length} polic${config.policies.length === 1 ? "y" : "ies"}.`,
    );
    for (const p of config.policies)
      out.log(`  ${p.name} (${p.type}) mode=${p.mode} timeout=${p.timeoutAction}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    out.error(`${err.message}:`);
    for (const issue of err.issues) out.error(`  - ${issue}`);
    return 2;
  }
}
