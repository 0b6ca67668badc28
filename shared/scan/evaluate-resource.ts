/**
 * The re-check before an action: the same detector, the same policy, fresh data, one
 * resource. Returns the fresh finding when the detector still reports it, or why not.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { EndpointConfigCache } from "../aws/endpoint-inventory.ts";
import { fetchMetrics } from "../aws/metric-batcher.ts";
import type { Inventory } from "../detectors/inventory.ts";
import { getDetector } from "../detectors/registry.ts";
import type { DetectorContext } from "../detectors/types.ts";
import type { JanitorConfig, Policy } from "../policy/schema.ts";
import type { Finding } from "../types.ts";
import { inventoryOf, loadInventory, tagSettings } from "./run-scan.ts";

export type Evaluation =
  | { status: "still-waste"; finding: Finding }
  | { status: "excluded"; reason: string }
  | { status: "undetermined"; reason: string }
  | { status: "cleared"; reason: string };

export async function evaluateResource(input: {
  finding: Finding;
  policy: Policy;
  config: JanitorConfig;
  clients: AwsClients;
  now: Date;
  accountId: string;
  /** The scan's endpoint-config cache: configs never change, so the re-check need not describe them again. */
  endpointConfigCache?: EndpointConfigCache;
}): Promise<Evaluation> {
  const { finding, policy } = input;
  const detector = getDetector(policy.type);
  const region = finding.resource.region;
  const clients = region === input.clients.options.region ? input.clients : input.clients.forRegion(region);
  // The loaders see this policy's params (e.g. the S3 scope), as they did in the scan.
  const { inventory, failed, notes } = await loadInventory(new Set(inventoryOf(policy)), clients, region, {
    ...(input.endpointConfigCache ? { endpointConfigCache: input.endpointConfigCache } : {}),
    policies: [policy],
    now: input.now,
  });
  if (failed.size > 0) throw new Error([...failed.values()].join("; "));
  // Part of the inventory could not be read (a bucket skipped or failed): nothing is proven.
  const unread = [...notes.values()].flat().filter((n) => n.level === "error");
  if (unread.length > 0) {
    return {
      status: "undetermined",
      reason: `fresh data incomplete: ${unread.map((n) => n.message).join("; ")}`,
    };
  }
  const ctx: DetectorContext<unknown> = {
    policy: policy.name,
    params: policy.params,
    now: input.now,
    accountId: input.accountId,
    tags: tagSettings(input.config),
    exclude: { tags: policy.exclude.tags, namePatterns: policy.exclude.namePatterns },
  };
  const requests = detector.metricRequests(inventory as Inventory, ctx);
  const metrics = await fetchMetrics(clients.cloudwatch, requests);
  const result = detector.detect(inventory as Inventory, metrics, ctx);
  const fresh = result.findings.find((f) => f.id === finding.id);
  if (fresh) return { status: "still-waste", finding: fresh };
  const name = finding.resource.id;
  const excluded = result.excluded.find((x) => x.resource === name);
  if (excluded) return { status: "excluded", reason: excluded.reason };
  const unknown = result.unknown.find((x) => x.resource === name);
  if (unknown) return { status: "undetermined", reason: unknown.reason };
  const activity = detector.describeActivity?.(inventory as Inventory, metrics, ctx, name);
  return {
    status: "cleared",
    reason: activity ?? `${detector.type} no longer reports ${name} (it is in use again, changed or gone)`,
  };
}
