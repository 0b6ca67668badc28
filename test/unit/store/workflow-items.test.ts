import { describe, expect, it } from "vitest";
import { decisionIdFor, executionNameFor } from "../../../shared/store/workflow-items.ts";

/** What StartExecution accepts (and CloudWatch logging prefers): 1-80 of [A-Za-z0-9_-]. */
const VALID_NAME = /^[A-Za-z0-9_-]{1,80}$/;

describe("executionNameFor", () => {
  it("makes a valid, readable, deterministic name out of a finding id holding an ARN", () => {
    const id = "idle-endpoint:arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-model-prod";

    const name = executionNameFor(id, 1);

    expect(name).toMatch(VALID_NAME);
    expect(name).toMatch(/^idle-endpoint-arn-aws-sagemaker-.*churn-model-prod-[0-9a-f]{10}-c1$/);
    expect(executionNameFor(id, 1)).toBe(name);
    expect(executionNameFor(id, 2)).toBe(name.replace(/-c1$/, "-c2"));
  });

  it("keeps the start and the end of a long id within 80 characters", () => {
    const id = `idle-notebook:arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/${"x".repeat(120)}-end`;

    const name = executionNameFor(id, 12);

    expect(name).toMatch(VALID_NAME);
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^idle-notebook-arn-aws.*xxx-end-[0-9a-f]{10}-c12$/);
  });

  it("tells apart ids that read the same once sanitized", () => {
    expect(executionNameFor("d:a/b", 1)).not.toBe(executionNameFor("d:a:b", 1));
    expect(executionNameFor("d:a/b", 1)).toMatch(/^d-a-b-[0-9a-f]{10}-c1$/);
  });
});

describe("decisionIdFor", () => {
  it("is short, deterministic and distinct per execution", () => {
    expect(decisionIdFor("x-c1")).toMatch(/^d-[0-9a-f]{16}$/);
    expect(decisionIdFor("x-c1")).toBe(decisionIdFor("x-c1"));
    expect(decisionIdFor("x-c1")).not.toBe(decisionIdFor("x-c2"));
  });
});
