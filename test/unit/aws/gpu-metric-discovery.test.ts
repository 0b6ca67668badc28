import { describe, expect, it } from "vitest";
import { gpuSeriesByInstance } from "../../../shared/aws/gpu-metric-discovery.ts";
import type { MetricSeriesId } from "../../../shared/detectors/inventory.ts";

const series = (
  dimensions: Record<string, string>,
  metricName = "nvidia_smi_utilization_gpu",
): MetricSeriesId => ({
  namespace: "CWAgent",
  metricName,
  dimensions,
});

const instances = [
  { id: "i-1", privateDnsName: "ip-10-0-0-1.ec2.internal" },
  { id: "i-2", privateDnsName: "ip-10-0-0-2.ec2.internal" },
  { id: "i-3" },
];

describe("gpuSeriesByInstance", () => {
  it("matches series by their InstanceId dimension, every GPU index", () => {
    const all = [
      series({ InstanceId: "i-1", index: "0", name: "NVIDIA A10G" }),
      series({ InstanceId: "i-1", index: "1", name: "NVIDIA A10G" }),
      series({ InstanceId: "i-9", index: "0" }),
    ];
    const out = gpuSeriesByInstance(all, instances);
    expect(out.get("i-1")).toEqual(all.slice(0, 2));
    expect(out.get("i-2")).toEqual([]);
    expect(out.get("i-3")).toEqual([]);
    expect(out.has("i-9")).toBe(false);
  });

  it("falls back to the agent's host dimension: full or short private host name, any case", () => {
    const full = series({ host: "ip-10-0-0-2.ec2.internal", index: "0" });
    const short = series({ host: "IP-10-0-0-1", index: "0" }, "nvidia_smi_utilization_memory");
    const out = gpuSeriesByInstance([full, short, series({ host: "ip-10-9-9-9", index: "0" })], instances);
    expect(out.get("i-2")).toEqual([full]);
    expect(out.get("i-1")).toEqual([short]);
  });

  it("prefers InstanceId over host, and ignores a host name two instances share", () => {
    const twins = [
      { id: "i-a", privateDnsName: "ip-10-0-0-5.ec2.internal" },
      { id: "i-b", privateDnsName: "ip-10-0-0-5.ec2.internal" },
    ];
    const byId = series({ InstanceId: "i-b", host: "ip-10-0-0-5", index: "0" });
    const out = gpuSeriesByInstance([series({ host: "ip-10-0-0-5", index: "0" }), byId], twins);
    expect(out.get("i-a")).toEqual([]);
    expect(out.get("i-b")).toEqual([byId]);
  });
});
