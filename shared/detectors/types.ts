import type { z } from "zod";
import type { Finding } from "../types.ts";
import type { Inventory, InventoryKind } from "./inventory.ts";
import type { MetricRequest, MetricResults } from "./metrics.ts";

/** Account-wide settings every detector reads (from janitor.yml `tags`). */
export interface TagSettings {
  ownerTag: string;
  teamTag: string;
  protectTag: string;
  production: { tag: string; values: string[] };
  required: string[];
}

/** Per-policy exclusions (from janitor.yml `policies[].exclude`). */
export interface Exclusions {
  tags: Record<string, string>;
  namePatterns: string[];
}

export interface DetectorContext<P> {
  policy: string;
  params: P;
  now: Date;
  accountId: string;
  tags: TagSettings;
  exclude: Exclusions;
}

export interface Excluded {
  resource: string;
  reason: string;
}

export interface DetectResult {
  findings: Finding[];
  /** Resources skipped on purpose (protect tag, exclusions): the scan reports how many and why. */
  excluded: Excluded[];
  /** Resources the detector could not judge (too young, not enough data): never flagged. */
  unknown: Excluded[];
}

export type ActionKind = "stop" | "delete" | "configure" | "tag";

/**
 * A detector: a strict params schema, the IAM permissions it needs, the inventory it reads,
 * the metrics it wants (pure), and the judgement itself (pure).
 */
export interface Detector<P = unknown> {
  type: string;
  summary: string;
  params: z.ZodType<P>;
  /** IAM actions the scan needs for this detector (the serverless.yml role is checked against these). */
  permissions: readonly string[];
  /** Actions the cleanup workflow may take on its findings (policy timeout actions must be among these). */
  actions: readonly ActionKind[];
  inventory: readonly InventoryKind[];
  /**
   * The kinds a policy with these params reads, when its params narrow `inventory` (e.g.
   * `untagged-resource` limited to some resource types): the scan loads only those, so a
   * kind that cannot be listed fails only the policies that need it. Defaults to `inventory`.
   */
  inventoryFor?(params: P): readonly InventoryKind[];
  metricRequests(inventory: Inventory, ctx: DetectorContext<P>): MetricRequest[];
  detect(inventory: Inventory, metrics: MetricResults, ctx: DetectorContext<P>): DetectResult;
  /**
   * Optional: in words, the activity that made a resource stop being waste (used by the re-check
   * before an action to say why it was cancelled, e.g. "42 invocations since …").
   */
  describeActivity?(
    inventory: Inventory,
    metrics: MetricResults,
    ctx: DetectorContext<P>,
    resourceId: string,
  ): string | undefined;
}
