import { afterAll, beforeAll } from "vitest";
import { resolveScenario } from "../../../../shared/local/sandbox/scenario.ts";
import type { Sandbox } from "../../../../shared/local/sandbox/server.ts";
import { startSandbox } from "../../../../shared/local/sandbox/server.ts";
import type { SandboxKnobs, Scenario } from "../../../../shared/local/sandbox/types.ts";

/** A fixed "now" so every assertion on dates is stable. */
export const NOW = new Date("2025-03-12T09:30:00Z");
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** How the real SDK clients reach the sandbox: the standard endpoint setting, fake keys. */
export function clientConfig(sandbox: Sandbox, extra: { maxAttempts?: number } = {}) {
  return {
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
    ...extra,
  };
}

/** A scenario from raw file content, resolved against NOW. */
export function world(raw: Record<string, unknown>): Scenario {
  return resolveScenario({ name: "test", accountId: "123456789012", region: "us-east-1", ...raw }, NOW);
}

/** `n` InService endpoints, one shared config and model; names sort like their index. */
export function manyEndpoints(n: number): Record<string, unknown> {
  return {
    sagemaker: {
      models: [{ name: "m", image: "img", created: "-100d" }],
      endpointConfigs: [
        {
          name: "cfg",
          created: "-100d",
          variants: [{ modelName: "m", instanceType: "ml.m5.large", initialInstanceCount: 1 }],
        },
      ],
      endpoints: Array.from({ length: n }, (_, i) => ({
        name: `ep-${String(i).padStart(4, "0")}`,
        configName: "cfg",
        created: `-${i + 1}h`,
        tags: i % 2 === 0 ? { team: i % 4 === 0 ? "a" : "b" } : {},
      })),
    },
  };
}

/** Starts a sandbox for the file's tests and closes it afterwards. */
export function useSandbox(scenario: () => Scenario, knobs?: Partial<SandboxKnobs>): { sandbox: Sandbox } {
  const holder = {} as { sandbox: Sandbox };
  beforeAll(async () => {
    holder.sandbox = await startSandbox({ scenario: scenario(), ...(knobs ? { knobs } : {}), port: 0 });
  });
  afterAll(async () => {
    await holder.sandbox.close();
  });
  return holder;
}
