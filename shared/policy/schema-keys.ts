/** Finds the keys an object schema accepts at a path of the data, to suggest them after a typo. */
import type { z } from "zod";

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const def = s._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
    if ((def.type === "default" || def.type === "optional" || def.type === "prefault") && def.innerType) {
      s = def.innerType;
    } else if (def.type === "pipe" && def.in) s = def.in;
    else break;
  }
  return s;
}

function pickOption(options: AnySchema[], data: unknown): AnySchema | undefined {
  const type = data && typeof data === "object" ? (data as Record<string, unknown>).type : undefined;
  for (const option of options) {
    const shape = (unwrap(option)._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
    const literal = shape?.type?._zod.def as unknown as { values?: unknown[] } | undefined;
    if (literal?.values?.includes(type)) return option;
  }
  return options.length === 1 ? options[0] : undefined;
}

export function validKeysAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  let schema: AnySchema | undefined = root;
  let node: unknown = data;
  for (let i = 0; i <= path.length && schema; i++) {
    schema = unwrap(schema);
    const def = schema._zod.def as unknown as {
      type: string;
      shape?: Record<string, AnySchema>;
      element?: AnySchema;
      options?: AnySchema[];
      valueType?: AnySchema;
    };
    if (def.type === "union" && def.options) {
      schema = pickOption(def.options, node);
      i--;
      continue;
    }
    if (i === path.length) return def.shape ? Object.keys(def.shape) : [];
    const part = path[i]!;
    node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined;
    if (def.type === "object") schema = def.shape?.[String(part)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return [];
  }
  return [];
}
