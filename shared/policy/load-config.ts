import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../errors.ts";
import { describeIssue } from "./format-issues.ts";
import { configSchema, type JanitorConfig } from "./schema.ts";
import { validKeysAt } from "./schema-keys.ts";

/** Parses and validates a config text; throws ConfigError listing every problem with its key path. */
export function parseConfig(text: string, source = "janitor.yml"): JanitorConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => `YAML: ${e.message.split("\n")[0]}`);
    throw new ConfigError(`${source} is not valid YAML`, issues);
  }
  const raw: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue: z.core.$ZodIssue) =>
      describeIssue(issue, raw, (path) => validKeysAt(configSchema, path, raw)),
    );
    throw new ConfigError(`${source} has ${issues.length} problem${issues.length === 1 ? "" : "s"}`, issues);
  }
  return result.data;
}

export async function loadConfig(path: string): Promise<JanitorConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  return parseConfig(text, path);
}
