/**
 * `janitor scan --format json` as a user runs it: a child process whose only link to the
 * sandbox account is AWS_ENDPOINT_URL (S3 included: s3rver sits behind the sandbox).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../shared/local/sandbox/server.ts";
import { type SandboxAccount, startSandboxAccount } from "../../../shared/local/sandbox-account.ts";
import { demoScenario, janitor, sandboxEnv } from "../../fixtures/local.ts";

interface JsonFinding {
  id: string;
  detector: string;
  resource: { type: string; id: string; arn: string; region: string; tags: Record<string, string> };
  evidence: Record<string, unknown>;
  monthlyCostUsd: number;
  proposedAction: string;
}

let account: SandboxAccount;
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "janitor-scan-s3-"));
  account = await startSandboxAccount({ scenario: demoScenario(), s3DataDir: dataDir });
  sandbox = account.sandbox;
});
afterAll(async () => {
  await account?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("janitor scan --format json against the sandbox", () => {
  it("reports the demo's idle endpoints and none of its traps", async () => {
    const { code, stdout, stderr } = await janitor(["scan", "--format", "json"], sandboxEnv(sandbox.url));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      accountId: string;
      regions: string[];
      findings: JsonFinding[];
      errors: unknown[];
    };

    expect(report.accountId).toBe("123456789012");
    expect(report.regions).toEqual(["us-east-1"]);
    expect(report.errors).toEqual([]);
    const idle = report.findings.filter((f) => f.detector === "idle-endpoint").map((f) => f.resource.id);
    expect(idle.sort()).toEqual(["churn-predictor-legacy", "fraud-scorer-v1", "vision-idle-zeros"]);
    for (const trap of [
      "recsys-ab-test",
      "llm-summarizer-new",
      "embeddings-serverless",
      "batch-scoring-async",
      "image-tagger-prod",
    ]) {
      expect(idle).not.toContain(trap);
    }
    const noData = report.findings.find((f) => f.resource.id === "fraud-scorer-v1")!;
    expect(noData.evidence).toMatchObject({ noDatapoints: true, totalInvocations: 0 });
    expect(noData.resource).toMatchObject({
      type: "sagemaker:endpoint",
      arn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer-v1",
    });
    expect(noData.monthlyCostUsd).toBeCloseTo(0.736 * 730, 1);
  });

  it("reports the demo's S3 waste through the sandbox alone: the duplicate weights and the stale uploads", async () => {
    sandbox.resetCounts();
    const { code, stdout, stderr } = await janitor(["scan", "--format", "json"], sandboxEnv(sandbox.url));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { findings: JsonFinding[]; errors: unknown[] };
    expect(report.errors).toEqual([]);

    const duplicates = report.findings.filter((f) => f.detector === "s3-duplicates");
    expect(duplicates).toHaveLength(1);
    const copies = (duplicates[0]!.evidence.copies as Array<{ bucket: string; key: string }>).map(
      (c) => `${c.bucket}/${c.key}`,
    );
    expect(copies.sort()).toEqual([
      "ml-experiments/experiments/run-17/model.tar.gz",
      "ml-models-prod/deploy/fraud-scorer/model.tar.gz",
      "ml-models-prod/registry/fraud-scorer/v1/model.tar.gz",
    ]);
    expect(duplicates[0]!.evidence).toMatchObject({ proven: true, size: 52428800 });

    const stale = report.findings.filter((f) => f.detector === "s3-stale-multipart");
    expect(stale.map((f) => f.resource.id)).toEqual(["ml-training-scratch"]);
    const uploads = stale[0]!.evidence.uploads as Array<{
      key: string;
      parts: number;
      bytes: number;
      ageDays: number;
    }>;
    // The upload started two hours ago is still in progress: not flagged.
    expect(uploads.map((u) => [u.key, u.parts, u.bytes / 1024 ** 3, u.ageDays])).toEqual([
      ["checkpoints/llm-pretrain-7b/step-48000/model.ckpt", 1440, 180, 23],
      ["datasets/common-crawl-2025/shard-0042.tar", 320, 40, 12],
    ]);

    // Every S3 call went through the sandbox, which counted it (the 1,440 parts take two pages).
    const calls = sandbox.counts();
    expect(calls["S3.ListBuckets"]).toBeGreaterThanOrEqual(1);
    expect(calls["S3.ListObjectsV2"]).toBeGreaterThanOrEqual(4);
    expect(calls["S3.ListMultipartUploads"]).toBeGreaterThanOrEqual(4);
    // Exactly: two pages for the 1,440 parts, one for each of the other two uploads.
    expect(calls["S3.ListParts"]).toBe(2 + 1 + 1);
    expect(calls["S3.HeadObject"]).toBeGreaterThanOrEqual(3);
  });

  it("prints a readable table with the total by default", async () => {
    const { code, stdout } = await janitor(["scan"], sandboxEnv(sandbox.url));
    expect(code).toBe(0);
    expect(stdout).toContain("fraud-scorer-v1");
    expect(stdout).toMatch(/\d+ findings, waste found: \$[\d,]+ per month/);
  });

  it("lists a failing detector under errors; the others still report, and it exits 0", async () => {
    sandbox.setKnobs({ failOperations: ["SageMaker.Search"] });
    try {
      const { code, stdout } = await janitor(["scan", "--format", "json"], sandboxEnv(sandbox.url));
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as {
        findings: Array<{ detector: string }>;
        errors: Array<{ detector: string; message: string }>;
      };
      const failed = report.errors.map((e) => e.detector);
      expect(failed).toContain("idle-endpoint");
      expect(report.errors.find((e) => e.detector === "idle-endpoint")!.message).toMatch(
        /could not list endpoints/,
      );
      expect(report.findings.some((f) => f.detector === "idle-endpoint")).toBe(false);
      // Detectors that do not read endpoints or training jobs through Search still report.
      expect(report.findings.some((f) => f.detector === "idle-notebook")).toBe(true);
      expect(report.findings.some((f) => f.detector === "idle-gpu-instance")).toBe(true);
    } finally {
      sandbox.setKnobs({ failOperations: [] });
    }
  });

  it("exits 2 with every problem when the config is bad", async () => {
    const file = join(tmpdir(), `janitor-bad-${process.pid}.yml`);
    writeFileSync(file, "version: 1\npolicies:\n  - { name: x, type: idle-endpont }\n");
    const { code, stderr } = await janitor(["scan", "--config", file], sandboxEnv(sandbox.url));
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown detector type "idle-endpont"; valid types: .*idle-endpoint/);
  });

  it("exits 1 with a clear message when AWS cannot be reached", async () => {
    const { code, stderr } = await janitor(["scan"], {
      ...sandboxEnv("http://127.0.0.1:9"),
      AWS_MAX_ATTEMPTS: "1",
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cannot scan: cannot identify the AWS account/m);
  });

  it("refuses --detectors naming a detector no policy uses", async () => {
    const { code, stderr } = await janitor(["scan", "--detectors", "idle-notebok"], sandboxEnv(sandbox.url));
    expect(code).toBe(2);
    expect(stderr).toContain("no policy in janitor.yml uses detector idle-notebok");
  });
});

describe("janitor validate", () => {
  it("exits 0 for the shipped config and 2 with the problems for a bad one", async () => {
    expect((await janitor(["validate"], {})).code).toBe(0);
    const file = join(tmpdir(), `janitor-bad2-${process.pid}.yml`);
    writeFileSync(
      file,
      "version: 1\npolicies:\n  - { name: x, type: idle-endpoint, params: { windwDays: 3 } }\n",
    );
    const { code, stderr } = await janitor(["validate", file], {});
    expect(code).toBe(2);
    expect(stderr).toContain(
      'policies[0].params: unknown key "windwDays"; valid keys: windowDays, maxInvocations',
    );
  });
});
