/**
 * Finds the GPU series the CloudWatch agent publishes. Their namespace and dimensions come from
 * each agent's config (CWAgent by default; index, name, arch, host, InstanceId if appended), so
 * they are listed, not guessed: one paginated ListMetrics sweep per metric name across the
 * account (500 per page, no namespace filter so a custom agent namespace is found too), then
 * matched to instances by their InstanceId dimension or, without one, by the `host` dimension
 * (the instance's private host name).
 */
import { type CloudWatchClient, paginateListMetrics } from "@aws-sdk/client-cloudwatch";
import { GPU_AGENT_METRICS } from "../detectors/gpu-agent-metrics.ts";
import type { MetricSeriesId } from "../detectors/inventory.ts";

export async function listSeries(client: CloudWatchClient, metricName: string): Promise<MetricSeriesId[]> {
  const out: MetricSeriesId[] = [];
  for await (const page of paginateListMetrics({ client }, { MetricName: metricName })) {
    for (const m of page.Metrics ?? []) {
      if (!m.Namespace || !m.MetricName) continue;
      const dimensions: Record<string, string> = {};
      for (const d of m.Dimensions ?? []) if (d.Name) dimensions[d.Name] = d.Value ?? "";
      out.push({ namespace: m.Namespace, metricName: m.MetricName, dimensions });
    }
  }
  return out;
}

/** Every agent GPU series with data in the last two weeks (what ListMetrics remembers). */
export async function discoverGpuSeries(client: CloudWatchClient): Promise<MetricSeriesId[]> {
  const sweeps = await Promise.all(GPU_AGENT_METRICS.map((name) => listSeries(client, name)));
  return sweeps.flat();
}

/** `ip-10-0-0-12.ec2.internal` and `ip-10-0-0-12` both name that host. */
function hostNames(privateDnsName: string | undefined): string[] {
  if (!privateDnsName) return [];
  const full = privateDnsName.toLowerCase();
  return [full, full.split(".")[0]!];
}

/** Instance id → its GPU series (every instance gets an entry, empty when it has none). */
export function gpuSeriesByInstance(
  series: readonly MetricSeriesId[],
  instances: ReadonlyArray<{ id: string; privateDnsName?: string }>,
): Map<string, MetricSeriesId[]> {
  const out = new Map<string, MetricSeriesId[]>(instances.map((i) => [i.id, []]));
  // A host name shared by two instances (same private IP in two VPCs) names neither.
  const byHost = new Map<string, string | null>();
  for (const i of instances) {
    for (const h of hostNames(i.privateDnsName)) byHost.set(h, byHost.has(h) ? null : i.id);
  }
  for (const s of series) {
    const byId = s.dimensions["InstanceId"];
    const host = s.dimensions["host"]?.toLowerCase();
    const owner = byId !== undefined ? byId : host !== undefined ? byHost.get(host) : undefined;
    if (owner) out.get(owner)?.push(s);
  }
  return out;
}
