import { describe, expect, it } from "vitest";
import {
  instanceFamily,
  instanceShape,
  nextSmallerInstanceType,
  parseInstanceType,
} from "../../../shared/pricing/instance-sizes.ts";
import { ec2Hourly, sagemakerHourly } from "../../../shared/pricing/monthly-cost.ts";

const sm = (t: string) => sagemakerHourly(t, "us-east-1");
const ec2 = (t: string) => ec2Hourly(t, "us-east-1");

describe("instance type names", () => {
  it("parses EC2 and SageMaker spellings into family and size", () => {
    expect(parseInstanceType("ml.g5.2xlarge")).toEqual({ prefix: "ml.", family: "g5", size: "2xlarge" });
    expect(parseInstanceType("p4de.24xlarge")).toEqual({ prefix: "", family: "p4de", size: "24xlarge" });
    expect(instanceFamily("trn1n.32xlarge")).toBe("trn1n");
    expect(parseInstanceType("serverless")).toBeUndefined();
  });

  it("knows vCPUs and GPUs whatever the spelling", () => {
    expect(instanceShape("ml.g5.2xlarge")).toEqual({ vcpus: 8, gpus: 1 });
    expect(instanceShape("g5.12xlarge")).toEqual({ vcpus: 48, gpus: 4 });
    expect(instanceShape("ml.x99.huge")).toBeUndefined();
  });
});

describe("the size ladder", () => {
  it("steps one size down within the family", () => {
    expect(nextSmallerInstanceType("ml.g5.2xlarge", sm)).toBe("ml.g5.xlarge");
    expect(nextSmallerInstanceType("ml.c5.xlarge", sm)).toBe("ml.c5.large");
    expect(nextSmallerInstanceType("ml.m5.4xlarge", sm)).toBe("ml.m5.2xlarge");
    expect(nextSmallerInstanceType("g5.2xlarge", ec2)).toBe("g5.xlarge");
  });

  it("has nothing below the smallest size, nor for types it does not know", () => {
    expect(nextSmallerInstanceType("ml.g5.xlarge", sm)).toBeUndefined();
    expect(nextSmallerInstanceType("ml.m5.large", sm)).toBeUndefined();
    expect(nextSmallerInstanceType("ml.g4dn.xlarge", sm)).toBeUndefined();
    expect(nextSmallerInstanceType("ml.x99.huge", sm)).toBeUndefined();
  });

  it("never proposes a dearer size or one with more GPUs", () => {
    // g5.12xlarge has fewer vCPUs than g5.16xlarge but costs more (4 GPUs).
    expect(nextSmallerInstanceType("ml.g5.16xlarge", sm)).toBe("ml.g5.8xlarge");
    expect(nextSmallerInstanceType("ml.g4dn.16xlarge", sm)).toBe("ml.g4dn.8xlarge");
    // From 4 GPUs the next size down has 1.
    expect(nextSmallerInstanceType("ml.g5.12xlarge", sm)).toBe("ml.g5.8xlarge");
  });

  it("still steps down when a price is unknown, on vCPUs alone", () => {
    expect(nextSmallerInstanceType("ml.g6.4xlarge", sm)).toBe("ml.g6.2xlarge");
    expect(nextSmallerInstanceType("ml.g5.2xlarge", () => undefined)).toBe("ml.g5.xlarge");
  });
});
