/**
 * A large, realistic sandbox account generated from a seed, for `npm run bench` and for tests
 * that need many resources. The same options always give the same account (every choice is a
 * draw from one seeded generator, and times are relative to `now`).
 *
 * Endpoints mix the traps of the demo at scale: idle and busy, A/B pairs where one variant
 * gets the traffic, endpoints created inside the window, serverless ones, and asynchronous
 * ones (idle or busy on processed invocations). Endpoints carry no protect tag, so a
 * baseline that reads no tags judges the same set (exclusions have their own tests).
 */
import type { z } from "zod";
import { mulberry32 } from "./random.ts";
import { resolveScenario } from "./scenario.ts";
import type { rawScenarioSchema } from "./scenario-schema.ts";
import type { Scenario } from "./types.ts";

type RawInput = z.input<typeof rawScenarioSchema>;
type RawSageMaker = NonNullable<RawInput["sagemaker"]>;
type RawEndpoint = NonNullable<RawSageMaker["endpoints"]>[number];
type RawConfig = NonNullable<RawSageMaker["endpointConfigs"]>[number];
type RawMetric = NonNullable<RawInput["metrics"]>[number];
type RawStudio = NonNullable<RawSageMaker["studio"]>;

export interface AccountShape {
  seed: number;
  endpoints: number;
  notebooks: number;
  gpuInstances: number;
  trainingJobs: number;
  /** Studio apps (in private spaces, and classic apps of user profiles) across a few domains. */
  studioApps: number;
  /** Resources the Tagging API knows of (topped up with EBS volumes and S3 buckets). */
  taggableResources: number;
}

export const BENCH_ACCOUNT: AccountShape = {
  seed: 20261123,
  endpoints: 2000,
  notebooks: 1000,
  gpuInstances: 500,
  trainingJobs: 2000,
  studioApps: 500,
  taggableResources: 10_000,
};

/** What kind of endpoint each generated one is (the bench prints the mix). */
export type EndpointKind =
  | "idle"
  | "busy"
  | "ab-one-variant-busy"
  | "new"
  | "serverless"
  | "async-idle"
  | "async-busy";

const ENDPOINT_MIX: Array<[EndpointKind, number]> = [
  ["idle", 0.3],
  ["busy", 0.32],
  ["ab-one-variant-busy", 0.1],
  ["new", 0.1],
  ["serverless", 0.06],
  ["async-idle", 0.05],
  ["async-busy", 0.07],
];
/** Idle and busy endpoints that have two variants, both priced. */
const MULTI_VARIANT_SHARE = 0.15;

const TEAMS = ["risk", "growth", "nlp", "vision", "search"];
const PEOPLE = ["maria", "dev", "li", "omar", "kim", "sam", "ana", "raj"];
const ML_TYPES = [
  "ml.m5.large",
  "ml.m5.xlarge",
  "ml.c5.xlarge",
  "ml.g4dn.xlarge",
  "ml.g5.xlarge",
  "ml.g5.2xlarge",
];
const NOTEBOOK_TYPES = ["ml.t3.medium", "ml.t3.large", "ml.m5.xlarge", "ml.g4dn.xlarge", "ml.g5.xlarge"];
const TRAINING_TYPES = [
  "ml.g5.2xlarge",
  "ml.g5.12xlarge",
  "ml.p3.2xlarge",
  "ml.p3.8xlarge",
  "ml.g4dn.12xlarge",
];
const GPU_TYPES = ["g4dn.xlarge", "g4dn.2xlarge", "g5.xlarge", "g5.2xlarge", "g5.12xlarge", "g6.xlarge"];
const VOLUME_TYPES = ["gp3", "gp2", "io2", "st1"] as const;

class Dice {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  float(): number {
    return this.#next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
  weighted<T>(table: ReadonlyArray<[T, number]>): T {
    let r = this.#next() * table.reduce((s, [, w]) => s + w, 0);
    for (const [value, weight] of table) {
      r -= weight;
      if (r < 0) return value;
    }
    return table.at(-1)![0];
  }
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/**
 * Tags as teams really leave them: most complete, some partial, some none at all, a few with
 * the key in the wrong case.
 */
function tagsFor(d: Dice, protectable = false): Record<string, string> {
  const team = d.pick(TEAMS);
  const person = d.pick(PEOPLE);
  const full: Record<string, string> = {
    team,
    project: `${team}-${d.int(1, 9)}`,
    environment: d.pick(["dev", "staging", "production"]),
    "cost-center": `cc-${d.int(100, 140)}`,
    owner: `${person}@example.com`,
  };
  const style = d.weighted<"full" | "partial" | "none" | "case" | "creator">([
    ["full", 0.62],
    ["partial", 0.18],
    ["none", 0.1],
    ["case", 0.05],
    ["creator", 0.05],
  ]);
  let tags: Record<string, string> = full;
  if (style === "partial") tags = { team, owner: full.owner! };
  else if (style === "none") tags = {};
  else if (style === "case") {
    const { team: t, ...rest } = full;
    tags = { ...rest, Team: t! };
  } else if (style === "creator") tags = { "created-by": `${person}@example.com` };
  if (protectable && d.chance(0.02)) tags["janitor:protect"] = "true";
  return tags;
}

function dailySeries(
  dimensions: Record<string, string>,
  metricName: string,
  value: number,
  from = "-30d",
): RawMetric {
  return {
    namespace: "AWS/SageMaker",
    metricName,
    dimensions,
    generate: { from, to: "now", every: "1d", value, jitter: 0.4, round: true },
  };
}

function endpoints(d: Dice, count: number) {
  const models: NonNullable<RawSageMaker["models"]> = [];
  const configs: RawConfig[] = [];
  const list: RawEndpoint[] = [];
  const metrics: RawMetric[] = [];
  const kinds: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const kind = d.weighted(ENDPOINT_MIX);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const name = `ep-${hex(i, 4)}-${kind}`;
    // A model serves two endpoints (a staging and a production deployment, say); every
    // endpoint has a config of its own, as CreateEndpoint pipelines make them.
    const model = `model-${hex(Math.floor(i / 2), 4)}`;
    const configName = `${name}-config`;
    if (i % 2 === 0) {
      models.push({
        name: model,
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1",
        created: "-400d",
      });
    }
    const multi =
      kind === "ab-one-variant-busy" ||
      ((kind === "idle" || kind === "busy") && d.chance(MULTI_VARIANT_SHARE));
    const variantNames = multi ? ["VariantA", "VariantB"] : ["AllTraffic"];
    const isAsync = kind === "async-idle" || kind === "async-busy";
    const ageDays = kind === "new" ? d.int(1, 12) : d.int(20, 400);
    configs.push({
      name: configName,
      created: `-${ageDays}d`,
      variants: variantNames.map((variantName) =>
        kind === "serverless"
          ? { variantName, modelName: model, serverlessConfig: { memorySizeInMB: 2048, maxConcurrency: 5 } }
          : {
              variantName,
              modelName: model,
              instanceType: d.pick(ML_TYPES),
              initialInstanceCount: d.int(1, 2),
            },
      ),
      ...(isAsync ? { asyncInference: { outputS3Uri: `s3://async-out/${name}/` } } : {}),
    });
    list.push({
      name,
      configName,
      created: `-${ageDays}d`,
      lastModified: `-${Math.min(ageDays, d.int(15, 60))}d`,
      tags: tagsFor(d),
    });
    if (kind === "busy" || kind === "new") {
      for (const v of variantNames) {
        metrics.push(
          dailySeries(
            { EndpointName: name, VariantName: v },
            "Invocations",
            d.int(50, 5000),
            `-${Math.min(ageDays, 30)}d`,
          ),
        );
      }
    } else if (kind === "ab-one-variant-busy") {
      metrics.push(
        dailySeries({ EndpointName: name, VariantName: "VariantA" }, "Invocations", d.int(50, 800)),
      );
    } else if (kind === "async-busy") {
      metrics.push(
        dailySeries(
          { EndpointName: name, VariantName: variantNames[0]! },
          "InvocationsProcesssed",
          d.int(5, 300),
        ),
      );
    }
  }
  return { models, configs, list, metrics, kinds };
}

const STUDIO_TYPES = ["ml.t3.medium", "ml.t3.xlarge", "ml.m5.xlarge", "ml.g4dn.xlarge", "ml.g5.2xlarge"];

/**
 * One domain per team; per app, most often a private space of its own running JupyterLab or
 * CodeEditor, else a classic KernelGateway app of a user profile.
 */
function studio(d: Dice, apps: number) {
  const domains: NonNullable<RawStudio["domains"]> = TEAMS.map((team, i) => ({
    id: `d-${team.slice(0, 4).padEnd(4, "x")}${hex(i, 8)}`,
    name: `studio-${team}`,
    created: `-${d.int(200, 500)}d`,
    ...(d.chance(0.4)
      ? {
          idleShutdown: {
            JupyterLab: { lifecycleManagement: "ENABLED" as const, idleTimeoutInMinutes: 120 },
          },
        }
      : {}),
    tags: tagsFor(d),
  }));
  const userProfiles: NonNullable<RawStudio["userProfiles"]> = [];
  const spaces: NonNullable<RawStudio["spaces"]> = [];
  const list: NonNullable<RawStudio["apps"]> = [];
  const profiles = Math.max(1, Math.ceil(apps / 5));
  for (let i = 0; i < profiles; i++) {
    const domain = domains[i % domains.length]!;
    userProfiles.push({
      domainId: domain.id,
      name: `user-${hex(i, 4)}`,
      created: `-${d.int(30, 400)}d`,
      tags: tagsFor(d),
    });
  }
  for (let i = 0; i < apps; i++) {
    const profile = d.pick(userProfiles);
    const created = `-${d.int(0, 30)}d${d.int(0, 23)}h`;
    if (d.chance(0.75)) {
      const appType = d.pick(["JupyterLab", "CodeEditor"] as const);
      const name = `space-${hex(i, 4)}`;
      spaces.push({
        domainId: profile.domainId,
        name,
        created: `-${d.int(30, 300)}d`,
        ownerUserProfileName: profile.name,
        appType,
        tags: tagsFor(d),
      });
      list.push({
        domainId: profile.domainId,
        spaceName: name,
        appType,
        instanceType: d.pick(STUDIO_TYPES),
        created,
      });
    } else {
      list.push({
        domainId: profile.domainId,
        userProfileName: profile.name,
        appType: "KernelGateway",
        appName: `kg-${hex(i, 4)}`,
        instanceType: d.pick(STUDIO_TYPES),
        created,
      });
    }
  }
  return { domains, userProfiles, spaces, apps: list };
}

function hourlyCpu(instanceId: string, value: number): RawMetric {
  return {
    namespace: "AWS/EC2",
    metricName: "CPUUtilization",
    dimensions: { InstanceId: instanceId },
    generate: { from: "-8d", to: "now", every: "1h", value, pattern: "diurnal", jitter: 0.3 },
  };
}

/** The generated account, as a scenario file would write it (relative times). */
export function generateAccountRaw(
  shape: AccountShape = BENCH_ACCOUNT,
): RawInput & { endpointKinds: Record<string, number> } {
  const d = new Dice(shape.seed);
  const ep = endpoints(d, shape.endpoints);
  const metrics = [...ep.metrics];

  const notebookInstances: NonNullable<RawSageMaker["notebookInstances"]> = [];
  for (let i = 0; i < shape.notebooks; i++) {
    const running = d.chance(0.6);
    notebookInstances.push({
      name: `nb-${hex(i, 4)}`,
      status: running ? "InService" : "Stopped",
      instanceType: d.pick(NOTEBOOK_TYPES),
      created: `-${d.int(0, 300)}d${d.int(0, 23)}h`,
      volumeSizeInGB: d.pick([5, 20, 50, 100]),
      tags: tagsFor(d, true),
    });
  }

  const trainingJobs: NonNullable<RawSageMaker["trainingJobs"]> = [];
  for (let i = 0; i < shape.trainingJobs; i++) {
    const running = d.chance(0.1);
    const ageHours = running ? d.int(1, 300) : d.int(24, 24 * 90);
    trainingJobs.push({
      name: `train-${hex(i, 4)}`,
      status: running
        ? "InProgress"
        : d.pick(["Completed", "Completed", "Completed", "Failed", "Stopped"] as const),
      created: `-${ageHours}h`,
      started: `-${ageHours}h`,
      ...(running ? {} : { ended: `-${Math.max(1, ageHours - d.int(1, 20))}h` }),
      instanceType: d.pick(TRAINING_TYPES),
      instanceCount: d.pick([1, 1, 2, 4]),
      maxRuntimeInSeconds: d.pick([86_400, 432_000, 2_419_200]),
      enableManagedSpotTraining: d.chance(0.2),
      tags: tagsFor(d),
    });
  }

  const instances: NonNullable<NonNullable<RawInput["ec2"]>["instances"]> = [];
  for (let i = 0; i < shape.gpuInstances; i++) {
    const instanceId = `i-0${hex(0xa0000 + i, 16)}`;
    const state = d.chance(0.85) ? "running" : "stopped";
    instances.push({
      instanceId,
      instanceType: d.pick(GPU_TYPES),
      state,
      launched: `-${d.int(1, 120)}d`,
      tags: tagsFor(d, true),
    });
    if (state === "running") metrics.push(hourlyCpu(instanceId, d.chance(0.35) ? 1.5 : d.int(20, 80)));
  }

  const st = studio(d, shape.studioApps);
  const fixed =
    ep.list.length +
    ep.configs.length +
    ep.models.length +
    notebookInstances.length +
    trainingJobs.length +
    instances.length +
    st.domains.length +
    st.userProfiles.length +
    st.spaces.length +
    st.apps.length;
  const topUp = Math.max(0, shape.taggableResources - fixed);
  const bucketCount = Math.min(100, Math.floor(topUp / 10));
  const volumeCount = topUp - bucketCount;

  const volumes: NonNullable<NonNullable<RawInput["ec2"]>["volumes"]> = [];
  for (let i = 0; i < volumeCount; i++) {
    const attached = d.chance(0.6) && instances.length > 0;
    volumes.push({
      volumeId: `vol-0${hex(0xb0000 + i, 16)}`,
      volumeType: d.pick(VOLUME_TYPES),
      sizeGiB: d.pick([100, 200, 500, 1000]),
      state: attached ? "in-use" : "available",
      created: `-${d.int(0, 200)}d${d.int(0, 23)}h`,
      ...(attached ? { attachedInstanceId: d.pick(instances).instanceId } : {}),
      tags: tagsFor(d, true),
    });
  }
  const buckets: NonNullable<NonNullable<RawInput["s3"]>["buckets"]> = [];
  for (let i = 0; i < bucketCount; i++) {
    buckets.push({ name: `bench-data-${hex(i, 4)}`, created: `-${d.int(1, 900)}d`, tags: tagsFor(d, true) });
  }

  return {
    name: `generated-${shape.seed}`,
    description: `Generated account (seed ${shape.seed}): ${shape.endpoints} endpoints, ${shape.notebooks} notebooks, ${shape.gpuInstances} GPU instances, ${shape.trainingJobs} training jobs, ${shape.studioApps} Studio apps, ${shape.taggableResources} taggable resources.`,
    accountId: "123456789012",
    region: "us-east-1",
    sagemaker: {
      models: ep.models,
      endpointConfigs: ep.configs,
      endpoints: ep.list,
      notebookInstances,
      trainingJobs,
      studio: st,
    },
    ec2: { instances, volumes },
    metrics,
    s3: { buckets },
    endpointKinds: ep.kinds,
  };
}

/** The generated account resolved against `now`, ready for `startSandbox`. */
export function generateAccount(
  shape: AccountShape,
  now: Date,
): { scenario: Scenario; endpointKinds: Record<string, number> } {
  const { endpointKinds, ...raw } = generateAccountRaw(shape);
  return { scenario: resolveScenario(raw, now), endpointKinds };
}
