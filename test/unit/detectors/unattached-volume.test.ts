import { describe, expect, it } from "vitest";
import { emptyInventory, type VolumeInfo } from "../../../shared/detectors/inventory.ts";
import type { MetricRequest } from "../../../shared/detectors/metrics.ts";
import {
  type UnattachedVolumeParams,
  unattachedVolume,
  unattachedVolumeParams,
} from "../../../shared/detectors/unattached-volume.ts";
import { volume } from "../../fixtures/ec2.ts";
import { context, daysAgo, metricsFrom } from "../../fixtures/endpoints.ts";

const params: UnattachedVolumeParams = unattachedVolumeParams.parse(undefined);

function run(volumes: VolumeInfo[], answer: (r: MetricRequest) => number[] | undefined, p = params) {
  const ctx = context(p, { policy: "unattached-volumes" });
  const inventory = emptyInventory({ volumes });
  const requests = unattachedVolume.metricRequests(inventory, ctx);
  return { requests, result: unattachedVolume.detect(inventory, metricsFrom(answer), ctx) };
}

const noData = () => undefined;

describe("unattached-volume", () => {
  it("has the documented defaults and rejects unknown params", () => {
    expect(params).toEqual({ minAvailableDays: 14, confirmWithMetrics: true });
    expect(unattachedVolumeParams.safeParse({ days: 3 }).success).toBe(false);
  });

  it("flags an old available volume no running instance used in the window, with high confidence", () => {
    const { requests, result } = run([volume()], noData);

    expect(requests).toEqual([
      {
        namespace: "AWS/EBS",
        metricName: "VolumeIdleTime",
        dimensions: { VolumeId: "vol-0a1b2c3d4e5f60001" },
        stat: "SampleCount",
        period: 86_400,
        start: new Date("2026-11-09T12:00:00Z"),
        end: new Date("2026-11-23T12:00:00Z"),
      },
    ]);
    const f = result.findings[0]!;
    expect(f).toMatchObject({
      detector: "unattached-volume",
      confidence: "high",
      proposedAction: "delete",
      resource: { type: "ec2:volume", id: "vol-0a1b2c3d4e5f60001" },
      owner: { team: "nlp" },
    });
    expect(f.monthlyCostUsd).toBeCloseTo(500 * 0.08, 2);
    expect(f.reason).toBe(
      "gp3 500 GiB volume attached to nothing, no running instance used it in 14 days (no AWS/EBS datapoints); created 40 days ago",
    );
    expect(f.evidence).toMatchObject({
      ageDays: 40,
      createdAt: daysAgo(40).toISOString(),
      ageBasis: expect.stringContaining("no AWS/EBS datapoints"),
      unusedSince: "2026-11-09T12:00:00.000Z",
      detachedAt: expect.stringContaining("unknown"),
    });
  });

  it("on createTime alone (metrics check off) flags with medium confidence and asks for no metrics", () => {
    const p = { ...params, confirmWithMetrics: false };
    const { requests, result } = run([volume()], noData, p);
    expect(requests).toEqual([]);
    expect(result.findings[0]!.confidence).toBe("medium");
    expect(result.findings[0]!.evidence).toMatchObject({ ageBasis: "createTime only" });
    expect(result.findings[0]!.reason).toContain("when it was detached is unknown");
  });

  it("does not judge a volume a running instance used inside the window", () => {
    const v = volume();
    // Datapoints for the first 9 days of the 14-day window: attached until 5 days ago.
    const { result } = run([v], () => Array(9).fill(288));
    expect(result.findings).toEqual([]);
    expect(result.unknown).toHaveLength(1);
    expect(result.unknown[0]!.reason).toMatch(
      /^attached to a running instance 6\.0 days ago \(AWS\/EBS datapoints\), inside the 14-day window$/,
    );
  });

  it("does not judge a volume younger than the minimum, at the boundary it does", () => {
    const young = volume({ createTime: daysAgo(3) });
    const { requests, result } = run([young], noData);
    expect(requests).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: young.id, reason: "created 3.0 days ago, less than the 14-day minimum" },
    ]);
    expect(run([volume({ createTime: daysAgo(14) })], noData).result.findings).toHaveLength(1);
    expect(
      run([volume({ createTime: new Date(daysAgo(14).getTime() + 1000) })], noData).result.findings,
    ).toHaveLength(0);
  });

  it("ignores volumes in use or in any other state", () => {
    const { requests, result } = run(
      [
        volume({ id: "vol-1", state: "in-use", attachedInstanceId: "i-1" }),
        volume({ id: "vol-2", state: "creating" }),
        volume({ id: "vol-3", state: "deleting" }),
      ],
      noData,
    );
    expect(requests).toEqual([]);
    expect(result).toEqual({ findings: [], excluded: [], unknown: [] });
  });

  it("prices by type and size, plus provisioned IOPS and throughput where billed", () => {
    const price = (v: VolumeInfo) => run([v], noData).result.findings[0]!.monthlyCostUsd;
    expect(price(volume({ volumeType: "gp2", sizeGiB: 1000, iops: 3000 }))).toBeCloseTo(100, 2);
    expect(price(volume({ volumeType: "io2", sizeGiB: 100, iops: 10_000 }))).toBeCloseTo(12.5 + 650, 2);
    expect(price(volume({ volumeType: "gp3", sizeGiB: 100, iops: 6000, throughputMiBps: 250 }))).toBeCloseTo(
      8 + 3000 * 0.005 + 125 * 0.04,
      2,
    );
    expect(price(volume({ region: "eu-central-1", volumeType: "sc1", sizeGiB: 1000 }))).toBeCloseTo(
      15 * 1.2,
      2,
    );
  });

  it("says when the volume type has no list price", () => {
    const { result } = run([volume({ volumeType: "gp9" })], noData);
    expect(result.findings[0]!.monthlyCostUsd).toBe(0);
    expect(result.findings[0]!.evidence).toMatchObject({ unpricedVolumeType: "gp9" });
  });

  it("never reports a protected volume and applies tag and name exclusions", () => {
    const ctx = context(params, { exclude: { tags: { keep: "yes" }, namePatterns: ["scratch-*"] } });
    const inventory = emptyInventory({
      volumes: [
        volume({ id: "vol-a", tags: { "janitor:protect": "" } }),
        volume({ id: "vol-b", tags: { keep: "yes" } }),
        volume({ id: "vol-c", tags: { Name: "scratch-data" } }),
        volume({ id: "vol-d", tags: { "janitor:protect": "false" } }),
      ],
    });
    const result = unattachedVolume.detect(inventory, metricsFrom(noData), ctx);
    expect(result.findings.map((f) => f.resource.id)).toEqual(["vol-d"]);
    expect(result.excluded.map((x) => x.reason)).toEqual([
      "protect tag janitor:protect",
      "excluded by tag keep=yes",
      "excluded by name pattern scratch-*",
    ]);
  });

  it("gives a stable id per volume", () => {
    const a = run([volume()], noData).result.findings[0]!.id;
    expect(run([volume()], noData).result.findings[0]!.id).toBe(a);
    expect(a).toMatch(/^unattached-volume-[0-9a-f]{12}$/);
  });
});
