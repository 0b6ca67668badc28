import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ScenarioError } from "./errors.ts";
import { generateCosts, generatePoints } from "./generate.ts";
import { type RawScenario, rawScenarioSchema } from "./scenario-schema.ts";
import { buildStudio, studioIssues } from "./scenario-studio.ts";
import { resolveTime, utcDate } from "./time-expr.ts";
import type { SbEndpointConfig, SbMetricSeries, Scenario } from "./types.ts";

/**
 * Scenario files → the sandbox's live world. Times in files are relative ("-14d"), so a
 * scenario means the same thing whenever it is loaded; the result depends only on the
 * file and `now`.
 */
export function loadScenario(filePath: string, now: Date): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(filePath, "utf8"));
  } catch (err) {
    throw new ScenarioError(`Cannot read scenario ${filePath}: ${(err as Error).message}`);
  }
  try {
    return resolveScenario(raw, now);
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(`${filePath}: ${err.message}`, err.issues);
    throw err;
  }
}

/** S3 upload ids are long opaque strings; a derived one keeps a scenario's ids stable across loads. */
function uploadIdFor(bucket: string, key: string, initiated: string): string {
  return createHash("sha256").update(`${bucket}\n${key}\n${initiated}`).digest("base64url");
}

export function resolveScenario(raw: unknown, now: Date): Scenario {
  const parsed = rawScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new ScenarioError(`invalid scenario: ${issues.join("; ")}`, issues);
  }
  checkReferences(parsed.data);
  return build(parsed.data, now.getTime());
}

/** An empty account, for tests that build their world in code. */
export function emptyScenario(now: Date, name = "empty"): Scenario {
  return resolveScenario({ name, accountId: "123456789012", region: "us-east-1" }, now);
}

function checkReferences(s: RawScenario): void {
  const issues: string[] = [];
  const models = new Set(s.sagemaker.models.map((m) => m.name));
  const configs = new Set(s.sagemaker.endpointConfigs.map((c) => c.name));
  s.sagemaker.endpointConfigs.forEach((c, i) => {
    c.variants.forEach((v, j) => {
      const where = `sagemaker.endpointConfigs.${i}.variants.${j}`;
      if (!models.has(v.modelName)) issues.push(`${where}.modelName: no model named "${v.modelName}"`);
      if (!v.serverlessConfig && (!v.instanceType || !v.initialInstanceCount)) {
        issues.push(`${where}: needs instanceType and initialInstanceCount, or serverlessConfig`);
      }
    });
  });
  s.sagemaker.endpoints.forEach((e, i) => {
    if (!configs.has(e.configName))
      issues.push(`sagemaker.endpoints.${i}.configName: no endpoint config named "${e.configName}"`);
  });
  for (const [kind, names] of [
    ["endpoints", s.sagemaker.endpoints.map((e) => e.name)],
    ["notebookInstances", s.sagemaker.notebookInstances.map((n) => n.name)],
    ["trainingJobs", s.sagemaker.trainingJobs.map((j) => j.name)],
    ["processingJobs", s.sagemaker.processingJobs.map((j) => j.name)],
  ] as const) {
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) issues.push(`sagemaker.${kind}: duplicate name "${dup}"`);
  }
  issues.push(...studioIssues(s.sagemaker));
  issues.push(...costIssues(s));
  if (issues.length > 0) throw new ScenarioError(`invalid scenario: ${issues.join("; ")}`, issues);
}

function build(s: RawScenario, now: number): Scenario {
  const at = (text: string) => resolveTime(text, now)!;
  const atOr = (text: string | undefined, fallback: number) => (text === undefined ? fallback : at(text));
  const role = `arn:aws:iam::${s.accountId}:role/SageMakerExecutionRole`;
  const configs: SbEndpointConfig[] = s.sagemaker.endpointConfigs.map((c) => ({
    name: c.name,
    creationTime: at(c.created),
    variants: c.variants.map((v) => ({ ...v })),
    ...(c.asyncInference && { asyncInference: { ...c.asyncInference } }),
    tags: { ...c.tags },
  }));

  const metrics: SbMetricSeries[] = s.metrics.map((m, i) => {
    const key = `${m.namespace}|${m.metricName}|${JSON.stringify(m.dimensions)}`;
    const gens = m.generate === undefined ? [] : Array.isArray(m.generate) ? m.generate : [m.generate];
    const points = [
      ...m.points.map((p) => ({ t: at(p.t), v: p.v })),
      ...gens.flatMap((g, j) => generatePoints(g, `${key}#${j}`, now, `metrics.${i}.generate`)),
    ].sort((a, b) => a.t - b.t);
    return { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, points };
  });

  return {
    name: s.name,
    description: s.description,
    accountId: s.accountId,
    region: s.region,
    callerArn: s.callerArn ?? `arn:aws:sts::${s.accountId}:assumed-role/MlJanitorRole/janitor`,
    now,
    sagemaker: {
      models: s.sagemaker.models.map((m) => ({
        name: m.name,
        image: m.image,
        ...(m.modelDataUrl !== undefined && { modelDataUrl: m.modelDataUrl }),
        executionRoleArn: m.executionRoleArn ?? role,
        creationTime: at(m.created),
        tags: { ...m.tags },
      })),
      endpointConfigs: configs,
      endpoints: s.sagemaker.endpoints.map((e) => {
        const created = at(e.created);
        const config = configs.find((c) => c.name === e.configName)!;
        return {
          name: e.name,
          configName: e.configName,
          status: e.status,
          creationTime: created,
          lastModifiedTime: atOr(e.lastModified, created),
          variants:
            e.variants?.map((v) => ({ ...v })) ??
            config.variants.map((v) => ({
              variantName: v.variantName,
              ...(v.initialInstanceCount !== undefined && { currentInstanceCount: v.initialInstanceCount }),
              currentWeight: 1,
              ...(v.serverlessConfig && { currentServerlessConfig: { ...v.serverlessConfig } }),
            })),
          tags: { ...e.tags },
        };
      }),
      ...buildStudio(s.sagemaker, at, now),
      notebookInstances: s.sagemaker.notebookInstances.map((n) => ({
        name: n.name,
        status: n.status,
        instanceType: n.instanceType,
        creationTime: at(n.created),
        lastModifiedTime: atOr(n.lastModified, at(n.created)),
        volumeSizeInGB: n.volumeSizeInGB,
        ...(n.lifecycleConfigName !== undefined && { lifecycleConfigName: n.lifecycleConfigName }),
        tags: { ...n.tags },
      })),
      trainingJobs: s.sagemaker.trainingJobs.map((j) => {
        const created = at(j.created);
        const started = j.started === undefined ? undefined : at(j.started);
        const ended = j.ended === undefined ? undefined : at(j.ended);
        return {
          name: j.name,
          status: j.status,
          creationTime: created,
          ...(started !== undefined && { trainingStartTime: started }),
          ...(ended !== undefined && { trainingEndTime: ended }),
          lastModifiedTime: atOr(j.lastModified, ended ?? started ?? created),
          instanceType: j.instanceType,
          instanceCount: j.instanceCount,
          volumeSizeInGB: j.volumeSizeInGB,
          maxRuntimeInSeconds: j.maxRuntimeInSeconds,
          enableManagedSpotTraining: j.enableManagedSpotTraining,
          ...(j.checkpointS3Uri !== undefined && { checkpointS3Uri: j.checkpointS3Uri }),
          roleArn: j.roleArn ?? role,
          tags: { ...j.tags },
        };
      }),
      processingJobs: s.sagemaker.processingJobs.map((j) => {
        const created = at(j.created);
        const started = j.started === undefined ? undefined : at(j.started);
        const ended = j.ended === undefined ? undefined : at(j.ended);
        return {
          name: j.name,
          status: j.status,
          creationTime: created,
          ...(started !== undefined && { processingStartTime: started }),
          ...(ended !== undefined && { processingEndTime: ended }),
          lastModifiedTime: atOr(j.lastModified, ended ?? started ?? created),
          instanceType: j.instanceType,
          instanceCount: j.instanceCount,
          volumeSizeInGB: j.volumeSizeInGB,
          ...(j.maxRuntimeInSeconds !== undefined && { maxRuntimeInSeconds: j.maxRuntimeInSeconds }),
          roleArn: j.roleArn ?? role,
          tags: { ...j.tags },
        };
      }),
    },
    ec2: {
      instances: s.ec2.instances.map((i) => ({
        instanceId: i.instanceId,
        instanceType: i.instanceType,
        state: i.state,
        launchTime: at(i.launched),
        tags: { ...i.tags },
      })),
      volumes: s.ec2.volumes.map((v) => ({
        volumeId: v.volumeId,
        volumeType: v.volumeType,
        sizeGiB: v.sizeGiB,
        state: v.state,
        createTime: at(v.created),
        ...(v.attachedInstanceId !== undefined && { attachedInstanceId: v.attachedInstanceId }),
        tags: { ...v.tags },
      })),
    },
    metrics,
    costs: s.costs
      .flatMap((c) =>
        "date" in c
          ? [
              {
                date: utcDate(at(c.date)),
                service: c.service,
                ...(c.usageType !== undefined && { usageType: c.usageType }),
                ...(c.resourceId !== undefined && { resourceId: c.resourceId }),
                amountUsd: c.amountUsd,
                ...(c.tags !== undefined && { tags: { ...c.tags } }),
              },
            ]
          : generateCosts(c, now),
      )
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    budgets: s.budgets.map((b) => ({ ...b, costFilters: { ...b.costFilters } })),
    anomalyMonitors: buildAnomalyMonitors(s, at),
    s3: {
      buckets: s.s3.buckets.map((b) => ({
        name: b.name,
        creationTime: at(b.created),
        tags: { ...b.tags },
        objects: b.objects.map((o) => ({
          key: o.key,
          seed: o.seed,
          size: o.size,
          ...(o.storageClass !== undefined && { storageClass: o.storageClass }),
          ...(o.lastModified !== undefined && { lastModified: at(o.lastModified) }),
        })),
        ...(b.lifecycle !== undefined && { lifecycle: structuredClone(b.lifecycle) }),
        multipartUploads: b.multipartUploads.map((u) => ({
          key: u.key,
          uploadId: u.uploadId ?? uploadIdFor(b.name, u.key, u.initiated),
          initiated: at(u.initiated),
          storageClass: u.storageClass,
          parts: u.parts.flatMap((p) => (typeof p === "number" ? [p] : Array<number>(p.count).fill(p.size))),
        })),
        ...(b.versioning !== undefined && { versioning: b.versioning }),
      })),
    },
  };
}

/** Monitors get a stable ARN from their name; anomaly days are resolved against `now`. */
function buildAnomalyMonitors(s: RawScenario, at: (text: string) => number): Scenario["anomalyMonitors"] {
  return s.anomalyMonitors.map((m) => {
    const arn = `arn:aws:ce::${s.accountId}:anomalymonitor/${m.name}`;
    return {
      name: m.name,
      arn,
      dimension: m.dimension,
      anomalies: m.anomalies.map((a) => ({
        id: a.id,
        monitorArn: arn,
        startDate: utcDate(at(a.start)),
        endDate: utcDate(at(a.end)),
        dimensionValue: a.rootCauses[0]?.service ?? "",
        rootCauses: a.rootCauses.map((c) => ({ ...c })),
        expectedUsd: a.expectedUsd,
        actualUsd: a.actualUsd,
        maxScore: a.maxScore,
      })),
    };
  });
}

/** AWS Budgets names and anomaly ids are unique in an account, as are monitor names here. */
function costIssues(s: RawScenario): string[] {
  const issues: string[] = [];
  const dup = (names: string[]) => names.find((n, i) => names.indexOf(n) !== i);
  const budget = dup(s.budgets.map((b) => b.name));
  if (budget) issues.push(`budgets: duplicate name "${budget}"`);
  const monitor = dup(s.anomalyMonitors.map((m) => m.name));
  if (monitor) issues.push(`anomalyMonitors: duplicate name "${monitor}"`);
  const anomaly = dup(s.anomalyMonitors.flatMap((m) => m.anomalies.map((a) => a.id)));
  if (anomaly) issues.push(`anomalyMonitors: duplicate anomaly id "${anomaly}"`);
  return issues;
}
