/** Domain types shared by detectors, the scan, the store and the CLI. */

/** `service:resource-type`, e.g. `sagemaker:endpoint`. */
export type ResourceType =
  | "sagemaker:endpoint"
  | "sagemaker:notebook-instance"
  | "sagemaker:training-job"
  | "sagemaker:app"
  | "sagemaker:domain"
  | "sagemaker:user-profile"
  | "sagemaker:space"
  | "sagemaker:processing-job"
  | "ec2:instance"
  | "ec2:volume"
  | "s3:bucket"
  | "s3:object"
  /** A bucket's incomplete multipart uploads (abort-multipart acts on these, not on the bucket). */
  | "s3:multipart-uploads";

export type Tags = Record<string, string>;

export interface ResourceRef {
  type: ResourceType;
  id: string;
  arn: string;
  region: string;
  tags: Tags;
}

export interface Owner {
  email?: string;
  team?: string;
}

export type Confidence = "high" | "medium" | "low";

/** `configure`: a reversible change of the resource's settings (e.g. a bucket's lifecycle rules). */
export type ProposedAction = "delete" | "stop" | "configure" | "tag" | "review" | "none";

export interface Finding {
  /** Stable across runs: the same resource and detector give the same id. */
  id: string;
  detector: string;
  /** The policy that produced it (a detector can back several policies). */
  policy: string;
  resource: ResourceRef;
  owner: Owner;
  /** One sentence a person can read: why this is waste. */
  reason: string;
  /** The facts that back the reason: metric sums, window, ages, tags. */
  evidence: Record<string, unknown>;
  confidence: Confidence;
  monthlyCostUsd: number;
  proposedAction: ProposedAction;
}

export interface ScanError {
  detector: string;
  message: string;
}

export interface ExclusionSummary {
  detector: string;
  reason: string;
  count: number;
}

export interface ScanReport {
  generatedAt: string;
  accountId: string;
  regions: string[];
  findings: Finding[];
  errors: ScanError[];
  excluded: ExclusionSummary[];
}
