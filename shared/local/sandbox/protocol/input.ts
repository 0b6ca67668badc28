import { constraintMessage, InputError } from "../errors.ts";

/**
 * Typed readers over a parsed awsJson request body. They throw `InputError`, which the
 * server maps to the service's own validation code, with AWS's wording.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function optString(input: JsonObject, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new InputError(`${key} must be a string.`);
  return v;
}

export function reqString(input: JsonObject, key: string): string {
  const v = optString(input, key);
  if (v === undefined || v === "") {
    throw new InputError(constraintMessage(key, "null", "Member must not be null"));
  }
  return v;
}

export function optBool(input: JsonObject, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new InputError(`${key} must be a boolean.`);
  return v;
}

export function optInt(
  input: JsonObject,
  key: string,
  bounds: { min?: number; max?: number } = {},
): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new InputError(`${key} must be an integer.`);
  if (bounds.min !== undefined && v < bounds.min) {
    throw new InputError(
      constraintMessage(key, v, `Member must have value greater than or equal to ${bounds.min}`),
    );
  }
  if (bounds.max !== undefined && v > bounds.max) {
    throw new InputError(
      constraintMessage(key, v, `Member must have value less than or equal to ${bounds.max}`),
    );
  }
  return v;
}

/** awsJson timestamps arrive as epoch seconds (possibly fractional); we work in ms. */
export function optTime(input: JsonObject, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw new InputError(`${key} must be a timestamp in epoch seconds.`);
  return Math.round(v * 1000);
}

export function reqTime(input: JsonObject, key: string): number {
  const v = optTime(input, key);
  if (v === undefined) throw new InputError(constraintMessage(key, "null", "Member must not be null"));
  return v;
}

export function optArray(input: JsonObject, key: string): Json[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new InputError(`${key} must be a list.`);
  return v;
}

export function optObjectArray(input: JsonObject, key: string): JsonObject[] | undefined {
  const list = optArray(input, key);
  if (list === undefined) return undefined;
  return list.map((item) => {
    if (!isObject(item)) throw new InputError(`${key} must be a list of structures.`);
    return item;
  });
}

export function optStringArray(input: JsonObject, key: string): string[] | undefined {
  const list = optArray(input, key);
  if (list === undefined) return undefined;
  return list.map((item) => {
    if (typeof item !== "string") throw new InputError(`${key} must be a list of strings.`);
    return item;
  });
}

export function optObject(input: JsonObject, key: string): JsonObject | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new InputError(`${key} must be a structure.`);
  return v;
}

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  key: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      constraintMessage(key, value, `Member must satisfy enum value set: [${allowed.join(", ")}]`),
    );
  }
  return value as T;
}

/** AWS's `[{Key, Value}]` tag lists, as a record. */
export function tagList(input: JsonObject, key: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of optObjectArray(input, key) ?? []) {
    tags[reqString(t, "Key")] = optString(t, "Value") ?? "";
  }
  return tags;
}
