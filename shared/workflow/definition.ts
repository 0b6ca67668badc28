/**
 * The cleanup state machine, read from cleanup.asl.json — the one file serverless.yml deploys
 * and the local runtime runs. Lambdas are referenced with `Fn::GetAtt: [<LogicalId>, Arn]`
 * (resolved by CloudFormation in AWS, by `resolveFunctionRefs` locally).
 */
import { readFileSync } from "node:fs";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const DEFINITION_PATH = new URL("./cleanup.asl.json", import.meta.url);

export function loadDefinition(): { [key: string]: Json } {
  return JSON.parse(readFileSync(DEFINITION_PATH, "utf8")) as { [key: string]: Json };
}

/** Replaces every `{ "Fn::GetAtt": [id, "Arn"] }` with `arnFor(id)`. */
export function resolveFunctionRefs(node: Json, arnFor: (logicalId: string) => string): Json {
  if (Array.isArray(node)) return node.map((n) => resolveFunctionRefs(n, arnFor));
  if (node && typeof node === "object") {
    const ref = node["Fn::GetAtt"];
    if (Array.isArray(ref) && typeof ref[0] === "string" && ref[1] === "Arn") return arnFor(ref[0]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveFunctionRefs(v, arnFor)]));
  }
  return node;
}

/** The Lambda logical ids the state machine calls (each must exist in serverless.yml). */
export function referencedFunctions(node: Json = loadDefinition()): string[] {
  const found = new Set<string>();
  resolveFunctionRefs(node, (id) => {
    found.add(id);
    return id;
  });
  return [...found].sort();
}
