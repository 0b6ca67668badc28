import { describe, expect, it } from "vitest";
import { allActionPermissions, allActions, getAction, getRestore } from "../../../shared/actions/registry.ts";

describe("action registry", () => {
  it("finds each action by resource type and kind", () => {
    expect(getAction("sagemaker:notebook-instance", "stop")?.kind).toBe("stop");
    expect(getAction("sagemaker:endpoint", "delete")?.resourceType).toBe("sagemaker:endpoint");
    expect(getAction("sagemaker:app", "delete")).toBeDefined();
    expect(getAction("ec2:instance", "stop")).toBeDefined();
    expect(getAction("sagemaker:training-job", "stop")).toBeDefined();
    expect(getAction("sagemaker:processing-job", "stop")).toBeDefined();
    // Endpoints cannot be stopped; volumes are deleted (after a snapshot), never stopped.
    expect(getAction("sagemaker:endpoint", "stop")).toBeUndefined();
    expect(getAction("ec2:volume", "delete")).toBeDefined();
    expect(getAction("ec2:volume", "stop")).toBeUndefined();
  });

  it("has a restore for every action that leaves an undo record, and none for jobs", () => {
    for (const type of [
      "sagemaker:endpoint",
      "sagemaker:notebook-instance",
      "sagemaker:app",
      "ec2:instance",
      "ec2:volume",
      "s3:object",
      "s3:bucket",
      "s3:multipart-uploads",
    ]) {
      expect(getRestore(type)?.resourceType).toBe(type);
    }
    expect(getRestore("sagemaker:training-job")).toBeUndefined();
    expect(getRestore("nonsense")).toBeUndefined();
  });

  it("declares exact IAM actions, states that do not overlap, and a describe before each change", () => {
    for (const a of allActions()) {
      for (const p of a.permissions) expect(p).toMatch(/^(sagemaker|ec2|iam|s3):[A-Z][A-Za-z]+$/);
      expect(a.validOriginStates.filter((s) => a.doneStates.includes(s))).toEqual([]);
      // S3 has no Describe: its re-read is a HEAD (s3:GetObject).
      expect(a.permissions[0]).toMatch(/:Describe|^s3:Get/);
    }
    expect(getAction("sagemaker:endpoint", "delete")?.permissions).toEqual([
      "sagemaker:DescribeEndpoint",
      "sagemaker:DescribeEndpointConfig",
      "sagemaker:DescribeModel",
      "sagemaker:ListTags",
      "sagemaker:DeleteEndpoint",
    ]);
  });

  it("unions every permission, sorted and unique", () => {
    const all = allActionPermissions();
    expect(all).toEqual([...new Set(all)].sort());
    expect(all).toEqual(
      expect.arrayContaining([
        "ec2:StartInstances",
        "ec2:StopInstances",
        "iam:PassRole",
        "sagemaker:CreateEndpoint",
        "sagemaker:DeleteApp",
        "sagemaker:StopProcessingJob",
      ]),
    );
    expect(all.some((p) => /DeleteEndpointConfig|DeleteModel/.test(p))).toBe(false);
  });
});
