/** The configs the bench scans with. */
import { allDetectors } from "../../shared/detectors/registry.ts";
import { configSchema, type JanitorConfig } from "../../shared/policy/schema.ts";

/** The scan the naive baseline is compared with: idle-endpoint alone, default params. */
export function idleOnlyConfig(region: string): JanitorConfig {
  return configSchema.parse({
    version: 1,
    regions: [region],
    policies: [{ name: "idle-endpoints", type: "idle-endpoint" }],
  });
}

/** One policy per registered detector (whatever is registered when the bench runs), default params. */
export function wholeScanConfig(region: string): JanitorConfig {
  return configSchema.parse({
    version: 1,
    regions: [region],
    policies: allDetectors().map((d) => ({
      name: d.type,
      type: d.type,
      // A params schema without a default still accepts {} when all its keys have defaults.
      ...(d.params.safeParse(undefined).success ? {} : { params: {} }),
    })),
  });
}
