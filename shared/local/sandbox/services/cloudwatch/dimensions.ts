import type { JsonObject } from "../../protocol/input.ts";
import { optObjectArray, optString, reqString } from "../../protocol/input.ts";
import type { MetricKey } from "./aggregate.ts";
import { missingParameter, validationError } from "./errors.ts";

/** `[{Name, Value}]` → record; CloudWatch allows at most 30 dimensions. */
export function dimensionsOf(input: JsonObject, where: string): Record<string, string> {
  const dims: Record<string, string> = {};
  for (const d of optObjectArray(input, "Dimensions") ?? []) {
    dims[reqString(d, "Name")] = reqString(d, "Value");
  }
  if (Object.keys(dims).length > 30) throw validationError(`${where}: at most 30 dimensions are allowed.`);
  return dims;
}

export function metricKeyOf(metric: JsonObject, where: string): MetricKey {
  const namespace = optString(metric, "Namespace");
  const metricName = optString(metric, "MetricName");
  if (!namespace || !metricName) {
    throw missingParameter(`The parameters ${where}.Namespace and ${where}.MetricName are required.`);
  }
  return { namespace, metricName, dimensions: dimensionsOf(metric, where) };
}

export function dimensionList(dims: Record<string, string>): Array<{ Name: string; Value: string }> {
  return Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
}
