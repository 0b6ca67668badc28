import { describe, expect, it } from "vitest";
import {
  type AccountShape,
  BENCH_ACCOUNT,
  generateAccount,
  generateAccountRaw,
} from "../../../../shared/local/sandbox/generate-account.ts";
import { taggableResources } from "../../../../shared/local/sandbox/resources.ts";

const SMALL: AccountShape = {
  seed: 7,
  endpoints: 60,
  notebooks: 30,
  gpuInstances: 15,
  trainingJobs: 60,
  studioApps: 20,
  taggableResources: 400,
};
const NOW = new Date("2026-11-23T12:00:00Z");

describe("generateAccount", () => {
  it("gives the same account for the same seed, and another for another seed", () => {
    expect(generateAccountRaw(SMALL)).toEqual(generateAccountRaw(SMALL));
    expect(generateAccount(SMALL, NOW).scenario).toEqual(generateAccount(SMALL, NOW).scenario);
    expect(generateAccountRaw({ ...SMALL, seed: 8 })).not.toEqual(generateAccountRaw(SMALL));
  });

  it("has the requested number of each resource, and of taggable resources", () => {
    const { scenario, endpointKinds } = generateAccount(SMALL, NOW);
    expect(scenario.sagemaker.endpoints).toHaveLength(60);
    expect(scenario.sagemaker.notebookInstances).toHaveLength(30);
    expect(scenario.ec2.instances).toHaveLength(15);
    expect(scenario.sagemaker.trainingJobs).toHaveLength(60);
    expect(scenario.sagemaker.studio.apps).toHaveLength(20);
    expect(taggableResources(scenario)).toHaveLength(400);
    expect(Object.values(endpointKinds).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it("mixes the endpoint traps, multi-variant endpoints and untagged resources", () => {
    const { scenario, endpointKinds } = generateAccount({ ...SMALL, endpoints: 400 }, NOW);
    for (const kind of [
      "idle",
      "busy",
      "ab-one-variant-busy",
      "new",
      "serverless",
      "async-idle",
      "async-busy",
    ]) {
      expect(endpointKinds[kind], kind).toBeGreaterThan(0);
    }
    expect(scenario.sagemaker.endpoints.some((e) => e.variants.length > 1)).toBe(true);
    expect(scenario.sagemaker.endpoints.some((e) => Object.keys(e.tags).length === 0)).toBe(true);
  });

  it("describes the bench's account", () => {
    expect(BENCH_ACCOUNT).toMatchObject({
      endpoints: 2000,
      notebooks: 1000,
      gpuInstances: 500,
      trainingJobs: 2000,
      studioApps: 500,
      taggableResources: 10_000,
    });
  });
});
