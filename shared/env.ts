/** The environment, parsed once at cold start; a missing variable fails fast with its name. */
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "./errors.ts";

const envSchema = z.object({
  TABLE_NAME: z.string().min(3),
  JANITOR_CONFIG: z.string().default("janitor.yml"),
  AWS_REGION: z.string().optional(),
  LAMBDA_TASK_ROOT: z.string().optional(),
  SLACK_BOT_TOKEN_PARAM: z.string().optional(),
  SLACK_SIGNING_SECRET_PARAM: z.string().optional(),
  /** Set in AWS to nothing (Slack's own API); the local runtime points it at its Slack stand-in. */
  SLACK_API_URL: z.string().url().optional(),
  /** The cleanup state machine: when set, the scan starts one execution per actionable finding. */
  STATE_MACHINE_ARN: z.string().optional(),
});

export type Env = z.infer<typeof envSchema> & { configPath: string };

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid environment: ${issues.join("; ")}`, issues);
  }
  const env = parsed.data;
  const base = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const configPath = isAbsolute(env.JANITOR_CONFIG) ? env.JANITOR_CONFIG : resolve(base, env.JANITOR_CONFIG);
  return { ...env, configPath };
}
