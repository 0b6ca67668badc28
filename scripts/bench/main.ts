/**
 * `npm run bench`: the nightly scan of a generated account of BENCH_ACCOUNT's size in the
 * sandbox with 25 ms per call, against the idle-endpoint job written the textbook way.
 *
 *   1. our idle-endpoint-only scan, cold (empty endpoint config cache) and warm (the next
 *      night: configs cached in the table, on dynalite);
 *   2. the whole scan — one policy per registered detector — cold and warm;
 *   3. the naive baseline (scripts/bench/naive-baseline.ts), sequential.
 *
 * An untimed warm-up scan of a tiny account runs first, so no run pays for the JIT.
 *
 * Prints calls by operation, wall times, ratios and the estimated AWS cost of one scan;
 * writes everything to .janitor/bench/scan.json. Timings live here, never in tests.
 *
 * First, the cost anomaly evaluation (scripts/bench/anomaly-eval.ts → .janitor/bench/anomaly.json).
 *
 * Last, the S3 Inventory duplicate scan over 10M generated rows against the textbook ETag
 * dictionary (scripts/bench/s3-inventory.ts → .janitor/bench/s3.json).
 *
 * Options: --latency <ms> (25), --scale <0..1> (1: the full account), --no-baseline,
 * --only anomaly (just the anomaly evaluation), --only s3 (just the S3 Inventory bench).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AwsClients } from "../../shared/aws/clients.ts";
import { allDetectors } from "../../shared/detectors/registry.ts";
import { ensureTable } from "../../shared/local/dynamo.ts";
import { startLocalRuntime } from "../../shared/local/runtime.ts";
import {
  type AccountShape,
  BENCH_ACCOUNT,
  generateAccount,
} from "../../shared/local/sandbox/generate-account.ts";
import { startSandbox } from "../../shared/local/sandbox/server.ts";
import type { JanitorConfig } from "../../shared/policy/schema.ts";
import { type FullScanReport, runScan } from "../../shared/scan/run-scan.ts";
import { DynamoEndpointConfigCache } from "../../shared/store/endpoint-config-cache.ts";
import { runAnomalyEval } from "./anomaly-eval.ts";
import { idleOnlyConfig, wholeScanConfig } from "./configs.ts";
import { ClientCounter, measure, type RunMeasure } from "./measure.ts";
import { naiveIdleEndpoints } from "./naive-baseline.ts";
import { callsTable, costTable, ratioTable } from "./report.ts";
import { runS3InventoryBench } from "./s3-inventory.ts";

const S3_BENCH = { rows: 10_000_000, textbookRows: 2_000_000 };

const OUT_DIR = ".janitor/bench";
const WHOLE_SCAN_TARGET_MS = 60_000;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const { values: args } = parseArgs({
  options: {
    latency: { type: "string", default: "25" },
    scale: { type: "string", default: "1" },
    "no-baseline": { type: "boolean", default: false },
    /** `--only anomaly`: just the cost anomaly evaluation (no sandbox, a few seconds). */
    only: { type: "string" },
  },
});
const latencyMs = Number(args.latency);
const scale = Number(args.scale);
if (!(latencyMs >= 0) || !(scale > 0 && scale <= 1)) {
  console.error("usage: npm run bench -- [--latency <ms>] [--scale <0..1>] [--no-baseline]");
  process.exit(2);
}

function scaled(shape: AccountShape, f: number): AccountShape {
  const n = (x: number) => Math.max(1, Math.round(x * f));
  return {
    seed: shape.seed,
    endpoints: n(shape.endpoints),
    notebooks: n(shape.notebooks),
    gpuInstances: n(shape.gpuInstances),
    trainingJobs: n(shape.trainingJobs),
    studioApps: n(shape.studioApps),
    taggableResources: n(shape.taggableResources),
  };
}

function byDetector(report: FullScanReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of report.policiesRun) out[p.detector] = 0;
  for (const f of report.findings) out[f.detector] = (out[f.detector] ?? 0) + 1;
  return out;
}

const log = (message = "") => console.log(message);

/**
 * One untimed whole scan of a tiny account of the same kind, on its own sandbox: the process
 * compiles the SDK, sandbox and detector code paths before anything is timed, so the first
 * measured run is not charged for the JIT (every run, the baseline's included, is then warm).
 */
async function warmUp(region: string, latencyMs: number): Promise<void> {
  const started = Date.now();
  const { scenario } = generateAccount(scaled(BENCH_ACCOUNT, 0.02), new Date());
  const sandbox = await startSandbox({ scenario, knobs: { latencyMs } });
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = sandbox.url;
  const clients = new AwsClients({ region, s3ForcePathStyle: true });
  try {
    await runScan({ config: wholeScanConfig(region), clients, now: new Date() });
    await naiveIdleEndpoints({ region, now: new Date() });
  } finally {
    clients.destroy();
    process.env.AWS_ENDPOINT_URL = saved;
    await sandbox.close();
  }
  log(
    `warm-up (untimed, a ${scenario.sagemaker.endpoints.length}-endpoint account): ${Date.now() - started} ms`,
  );
}

async function main(): Promise<void> {
  if (args.only === "s3") return runS3InventoryBench(S3_BENCH);
  // The cost anomaly evaluation: pure, offline, seconds (scripts/bench/anomaly-eval.ts).
  runAnomalyEval();
  if (args.only === "anomaly") return;
  const shape = scaled(BENCH_ACCOUNT, scale);
  const now = new Date();
  const generated = Date.now();
  const { scenario, endpointKinds } = generateAccount(shape, now);
  log(
    `generated account (seed ${shape.seed}) in ${Date.now() - generated} ms: ${shape.endpoints} endpoints ` +
      `(${Object.entries(endpointKinds)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ")}), ${shape.notebooks} notebooks, ${shape.gpuInstances} GPU instances, ` +
      `${shape.trainingJobs} training jobs, ${shape.studioApps} Studio apps, ` +
      `${shape.taggableResources} taggable resources`,
  );

  const runtime = await startLocalRuntime({
    scenario,
    dataDir: join(OUT_DIR, "data"),
    fresh: true,
    tableName: "janitor-bench",
    knobs: { latencyMs },
  });
  const clients = new AwsClients({ region: scenario.region, s3ForcePathStyle: true });
  const counter = new ClientCounter();
  counter.attach(clients);
  const region = scenario.region;
  const runs: RunMeasure[] = [];
  const reports: Record<string, { findingsByDetector: Record<string, number>; errors: string[] }> = {};
  // Wall times depend on what else the machine runs: say so next to them.
  const load = loadavg().map((l) => l.toFixed(1));
  log(
    `sandbox: ${latencyMs} ms per call; DynamoDB: dynalite; S3: s3rver; ${cpus().length} CPUs, load ${load.join(" ")}\n`,
  );

  try {
    const scanWith = async (label: string, config: JanitorConfig, table: string) => {
      const cache = new DynamoEndpointConfigCache({ client: clients.documents, tableName: table });
      const { measure: m, result } = await measure(label, runtime.sandbox, counter, () =>
        runScan({ config, clients, now, endpointConfigCache: cache }),
      );
      runs.push(m);
      reports[label] = {
        findingsByDetector: byDetector(result),
        errors: result.errors.map((e) => `${e.detector}: ${e.message}`),
      };
      log(
        `${label}: ${(m.wallMs / 1000).toFixed(1)} s, ${m.totalCalls} calls, ${result.findings.length} findings`,
      );
      return result;
    };

    await warmUp(scenario.region, latencyMs);
    await ensureTable(clients.dynamodb, "janitor-bench-idle");
    await ensureTable(clients.dynamodb, "janitor-bench-whole");
    const idle = idleOnlyConfig(region);
    const ours = await scanWith("ours idle-endpoint, cold", idle, "janitor-bench-idle");
    await scanWith("ours idle-endpoint, warm", idle, "janitor-bench-idle");
    const whole = wholeScanConfig(region);
    await scanWith("whole scan, cold", whole, "janitor-bench-whole");
    await scanWith("whole scan, warm", whole, "janitor-bench-whole");

    let baseline: RunMeasure | undefined;
    let sameIdle: boolean | undefined;
    if (!args["no-baseline"]) {
      const expected = Math.round((shape.endpoints * 2.3 * (latencyMs + 3)) / 1000);
      log(`naive baseline: sequential, about ${expected} s …`);
      const run = await measure("naive baseline", runtime.sandbox, counter, () =>
        naiveIdleEndpoints({ region, now }),
      );
      baseline = run.measure;
      const oursIdle = ours.findings.map((f) => f.resource.id).sort();
      sameIdle = JSON.stringify(oursIdle) === JSON.stringify(run.result);
      log(
        `naive baseline: ${(baseline.wallMs / 1000).toFixed(1)} s, ${baseline.totalCalls} calls, ` +
          `${run.result.length} idle endpoints (ours: ${oursIdle.length}; same set: ${sameIdle ? "yes" : "NO"})`,
      );
    }

    const [idleCold, idleWarm, wholeCold, wholeWarm] = runs as [
      RunMeasure,
      RunMeasure,
      RunMeasure,
      RunMeasure,
    ];
    log("\nidle-endpoint: the textbook job vs ours");
    log(callsTable(baseline ? [baseline, idleCold, idleWarm] : [idleCold, idleWarm]));
    if (baseline) log(ratioTable(baseline, [idleCold, idleWarm]));

    log("\nwhole scan (one policy per registered detector)");
    log(callsTable([wholeCold, wholeWarm]));
    for (const label of [wholeCold.label, wholeWarm.label]) {
      const r = reports[label]!;
      log(
        `${label}: findings by detector ${JSON.stringify(r.findingsByDetector)}` +
          (r.errors.length > 0 ? `; errors:\n  - ${r.errors.join("\n  - ")}` : ""),
      );
    }

    const all = baseline ? [baseline, ...runs] : runs;
    const cost = costTable(all);
    log("");
    log(cost.text);

    const targets = {
      callsRatioCold: baseline ? baseline.totalCalls / idleCold.totalCalls : undefined,
      callsRatioWarm: baseline ? baseline.totalCalls / idleWarm.totalCalls : undefined,
      wallRatioCold: baseline ? baseline.wallMs / idleCold.wallMs : undefined,
      wallRatioWarm: baseline ? baseline.wallMs / idleWarm.wallMs : undefined,
      wholeScanColdUnder60s: wholeCold.wallMs < WHOLE_SCAN_TARGET_MS,
      wholeScanWarmUnder60s: wholeWarm.wallMs < WHOLE_SCAN_TARGET_MS,
      sameIdleEndpoints: sameIdle,
    };
    const check = (ok: boolean | undefined) => (ok === undefined ? "–" : ok ? "met" : "NOT met");
    log("\ntargets");
    if (baseline) {
      log(
        `  ≥ 50× fewer calls: cold ${targets.callsRatioCold!.toFixed(1)}× (${check(targets.callsRatioCold! >= 50)}), ` +
          `warm ${targets.callsRatioWarm!.toFixed(1)}× (${check(targets.callsRatioWarm! >= 50)})`,
      );
      log(
        `  ≥ 10× less wall time: cold ${targets.wallRatioCold!.toFixed(1)}× (${check(targets.wallRatioCold! >= 10)}), ` +
          `warm ${targets.wallRatioWarm!.toFixed(1)}× (${check(targets.wallRatioWarm! >= 10)})`,
      );
    }
    log(
      `  whole scan < 60 s: cold ${(wholeCold.wallMs / 1000).toFixed(1)} s (${check(targets.wholeScanColdUnder60s)}), ` +
        `warm ${(wholeWarm.wallMs / 1000).toFixed(1)} s (${check(targets.wholeScanWarmUnder60s)})`,
    );

    mkdirSync(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, "scan.json");
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          at: now.toISOString(),
          account: { ...shape, endpointKinds },
          latencyMs,
          machine: { cpus: cpus().length, loadAverageAtStart: loadavg() },
          detectors: allDetectors().map((d) => d.type),
          runs: all.map((m, i) => ({ ...m, cost: cost.costs[i], ...(reports[m.label] ?? {}) })),
          targets,
        },
        null,
        2,
      )}\n`,
    );
    log(`\nwrote ${file}`);
  } finally {
    clients.destroy();
    await runtime.close();
  }
  await runS3InventoryBench(S3_BENCH);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
