/**
 * A finding in words: what the resource is, where it lives, who owns it, and the evidence
 * behind the reason. Everything returned is already escaped for mrkdwn.
 */
import type { Finding, ResourceType } from "../../types.ts";
import { formatDate } from "./format-date.ts";
import { code, escapeMrkdwn } from "./mrkdwn.ts";

const KIND: Record<ResourceType, string> = {
  "sagemaker:endpoint": "SageMaker endpoint",
  "sagemaker:notebook-instance": "SageMaker notebook instance",
  "sagemaker:training-job": "SageMaker training job",
  "sagemaker:processing-job": "SageMaker processing job",
  "sagemaker:app": "SageMaker Studio app",
  "sagemaker:domain": "SageMaker Studio domain",
  "sagemaker:space": "SageMaker Studio space",
  "sagemaker:user-profile": "SageMaker Studio user profile",
  "ec2:instance": "EC2 instance",
  "ec2:volume": "EBS volume",
  "s3:bucket": "S3 bucket",
  "s3:object": "S3 object",
  "s3:multipart-uploads": "S3 incomplete uploads in bucket",
};

/** "SageMaker endpoint" (not escaped: our own words). */
export function resourceKind(finding: Finding): string {
  return KIND[finding.resource.type];
}

/** The short noun for buttons: "endpoint", "notebook instance", "instance". */
export function resourceNoun(finding: Finding): string {
  return KIND[finding.resource.type].replace(/^(SageMaker Studio|SageMaker|EC2|EBS|S3) /, "");
}

/** The account id from the ARN (S3 ARNs carry none). */
export function accountOf(finding: Finding): string | undefined {
  const account = finding.resource.arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** "account 123456789012 · us-east-1" */
export function whereText(finding: Finding): string {
  const account = accountOf(finding);
  const region = escapeMrkdwn(finding.resource.region);
  return account ? `account ${account} · ${region}` : region;
}

/** "SageMaker endpoint `churn-model`" */
export function whatText(finding: Finding): string {
  return `${resourceKind(finding)} ${code(finding.resource.id)}`;
}

/** The owner as a mention when we know their Slack id, else the tag values, else a nudge to tag it. */
export function ownerText(finding: Finding, ownerMention?: string): string {
  const who = ownerMention
    ? ownerMention
    : finding.owner.email
      ? escapeMrkdwn(finding.owner.email)
      : "nobody (no owner tag)";
  return finding.owner.team ? `${who} · team ${escapeMrkdwn(finding.owner.team)}` : who;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

function scalarWords(value: unknown): string | undefined {
  if (typeof value === "number")
    return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
  // A false flag ("asynchronous: no") is noise next to the reason; a true one is a fact worth saying.
  if (typeof value === "boolean") return value ? "yes" : undefined;
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === "string" || typeof v === "number")
  ) {
    return value.slice(0, 5).map(scalarWords).join(", ") + (value.length > 5 ? ", …" : "");
  }
  if (typeof value === "string" && value.length > 0) {
    return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
      ? formatDate(new Date(value))
      : escapeMrkdwn(value);
  }
  return undefined;
}

/** `windowDays` → "window days" */
function humanKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
}

function variantLines(variants: unknown[]): string[] {
  const lines = variants.filter(isRecord).map((v) => {
    const name = typeof v.name === "string" ? code(v.name) : "variant";
    const count = typeof v.instanceCount === "number" ? `${v.instanceCount} × ` : "";
    const type = typeof v.instanceType === "string" ? escapeMrkdwn(v.instanceType) : "unknown type";
    const calls =
      typeof v.invocations === "number" ? `, ${v.invocations.toLocaleString("en-US")} invocations` : "";
    return `${name}: ${count}${type}${calls}`;
  });
  return lines.length > 5 ? [...lines.slice(0, 5), `and ${lines.length - 5} more variants`] : lines;
}

/** Keys already told by the reason or shown elsewhere in the message. */
const SHOWN_ELSEWHERE = new Set([
  "variants",
  "windowStart",
  "windowEnd",
  "createdAt",
  "lastModifiedAt",
  "pricesAsOf",
]);
const MAX_GENERIC = 6;

/**
 * The evidence in words, one short line each: per-variant traffic, the window, ages; then up
 * to six other plain facts a detector recorded ("idle hours: 52"). Nested data is left to the audit log.
 */
export function evidenceLines(finding: Finding): string[] {
  const ev = finding.evidence;
  const lines: string[] = [];
  if (Array.isArray(ev.variants)) lines.push(...variantLines(ev.variants));
  if (typeof ev.windowStart === "string" && typeof ev.windowEnd === "string") {
    lines.push(`window ${scalarWords(ev.windowStart)} → ${scalarWords(ev.windowEnd)}`);
  }
  if (typeof ev.createdAt === "string") {
    const modified =
      typeof ev.lastModifiedAt === "string" && ev.lastModifiedAt !== ev.createdAt
        ? `, last changed ${scalarWords(ev.lastModifiedAt)}`
        : "";
    lines.push(`created ${scalarWords(ev.createdAt)}${modified}`);
  }
  const generic = Object.entries(ev)
    .filter(([key]) => !SHOWN_ELSEWHERE.has(key))
    .map(([key, value]) => [key, scalarWords(value)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .slice(0, MAX_GENERIC)
    .map(([key, words]) => `${humanKey(key)}: ${words}`);
  return [...lines, ...generic];
}

export interface ActionWords {
  /** "Delete" */
  imperative: string;
  /** "Deletes" */
  present: string;
  /** "Deleted" */
  past: string;
}

export function actionWords(action: "stop" | "delete" | "configure"): ActionWords {
  if (action === "configure") {
    // The only configure action today is a bucket's lifecycle configuration: the outcome says so.
    return { imperative: "Configure", present: "Configures", past: "Applied the lifecycle configuration to" };
  }
  return action === "delete"
    ? { imperative: "Delete", present: "Deletes", past: "Deleted" }
    : { imperative: "Stop", present: "Stops", past: "Stopped" };
}
