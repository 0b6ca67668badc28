/** Turns zod issues into messages a person can act on: the key path, what is wrong, what is valid. */
import type { z } from "zod";
import { detectorTypes } from "../detectors/registry.ts";

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(top level)";
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

export function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  validKeys?: (path: readonly PropertyKey[]) => string[],
): string {
  const at = formatPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const valid = validKeys?.(issue.path) ?? [];
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `${at}: unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}${valid.length ? `; valid keys: ${valid.join(", ")}` : ""}`;
    }
    case "invalid_value":
      if (valueAt(raw, issue.path) === undefined) {
        return `${at}: required; valid values: ${issue.values.map(String).join(", ")}`;
      }
      return `${at}: ${JSON.stringify(valueAt(raw, issue.path))} is not valid; valid values: ${issue.values.map(String).join(", ")}`;
    case "invalid_union": {
      // A discriminated union with no matching `type`: list the detectors.
      const value = valueAt(raw, issue.path);
      if (issue.path.at(-1) === "type") {
        return `${at}: unknown detector type ${JSON.stringify(value)}; valid types: ${detectorTypes().join(", ")}`;
      }
      if (value && typeof value === "object" && "type" in value) {
        return `${at}.type: unknown detector type ${JSON.stringify((value as { type: unknown }).type)}; valid types: ${detectorTypes().join(", ")}`;
      }
      if (value && typeof value === "object") {
        return `${at}.type: missing; valid types: ${detectorTypes().join(", ")}`;
      }
      return `${at}: ${issue.message}`;
    }
    case "invalid_type":
      return valueAt(raw, issue.path) === undefined
        ? `${at}: required (${issue.expected})`
        : `${at}: expected ${issue.expected}, got ${JSON.stringify(valueAt(raw, issue.path))}`;
    default:
      return `${at}: ${issue.message}`;
  }
}
