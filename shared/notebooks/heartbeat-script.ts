/**
 * The heartbeat script as a notebook-instance lifecycle configuration wants it: the OnStart
 * hook's content, base64-encoded, at most 16,384 characters (AWS's limit per hook).
 */
import { readFileSync } from "node:fs";

export const HEARTBEAT_SCRIPT_PATH = new URL("./heartbeat.sh", import.meta.url);
/** AWS's limit on a lifecycle-configuration hook's base64 content. */
export const MAX_HOOK_CONTENT = 16_384;

export function heartbeatScript(): string {
  return readFileSync(HEARTBEAT_SCRIPT_PATH, "utf8");
}

/** The script base64-encoded for an OnStart hook; throws if it would exceed AWS's limit. */
export function heartbeatHookContent(script = heartbeatScript()): string {
  const content = Buffer.from(script, "utf8").toString("base64");
  if (content.length > MAX_HOOK_CONTENT) {
    throw new Error(
      `the heartbeat script is ${content.length} base64 characters; AWS allows ${MAX_HOOK_CONTENT} per hook`,
    );
  }
  return content;
}
