/** Detectors registered by name; the name is the policy `type` in janitor.yml. */
import { idleEndpoint } from "./idle-endpoint.ts";
import { idleGpuInstance } from "./idle-gpu-instance.ts";
import { idleNotebook } from "./idle-notebook.ts";
import { idleStudioApp } from "./idle-studio-app.ts";
import { overprovisionedEndpoint } from "./overprovisioned-endpoint.ts";
import { runawayTrainingJob } from "./runaway-training-job.ts";
import { s3Duplicates } from "./s3-duplicates.ts";
import { s3NoLifecycle } from "./s3-no-lifecycle.ts";
import { s3StaleMultipart } from "./s3-stale-multipart.ts";
import type { Detector } from "./types.ts";
import { unattachedVolume } from "./unattached-volume.ts";
import { untaggedResource } from "./untagged-resource.ts";

// Each entry keeps its own params type; the registry only needs the common shape.
const ALL = [
  idleEndpoint,
  untaggedResource,
  idleNotebook,
  idleStudioApp,
  idleGpuInstance,
  unattachedVolume,
  runawayTrainingJob,
  overprovisionedEndpoint,
  s3Duplicates,
  s3StaleMultipart,
  s3NoLifecycle,
] as unknown as Detector[];

const BY_TYPE = new Map<string, Detector>(ALL.map((d) => [d.type, d]));

/** Permissions the scan needs whatever detectors run. */
export const SCAN_BASE_PERMISSIONS = ["sts:GetCallerIdentity"] as const;

export function detectorTypes(): string[] {
  return ALL.map((d) => d.type);
}

export function allDetectors(): readonly Detector[] {
  return ALL;
}

export function getDetector(type: string): Detector {
  const d = BY_TYPE.get(type);
  if (!d) throw new Error(`unknown detector type "${type}"; valid types: ${detectorTypes().join(", ")}`);
  return d;
}

/** The union of every detector's IAM actions plus the scan's own, sorted: what the scan role grants. */
export function allDetectorPermissions(): string[] {
  const all = new Set<string>(SCAN_BASE_PERMISSIONS);
  for (const d of ALL) for (const p of d.permissions) all.add(p);
  return [...all].sort();
}
