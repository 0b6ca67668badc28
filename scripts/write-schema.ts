// Regenerates janitor.schema.json from the zod schema: `npm run schema`.
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../shared/policy/json-schema.ts";

writeFileSync(
  new URL("../janitor.schema.json", import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
console.log("wrote janitor.schema.json");
