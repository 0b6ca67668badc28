import { z } from "zod";
import { configSchema } from "./schema.ts";

/** The JSON Schema editors use to complete and check janitor.yml (input shape: defaults optional). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return { ...schema, title: "ml-janitor configuration (janitor.yml)" };
}
