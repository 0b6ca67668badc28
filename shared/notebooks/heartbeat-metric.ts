/**
 * The activity metric the heartbeat script (shared/notebooks/heartbeat.sh) publishes and the
 * `idle-notebook` / `idle-studio-app` detectors read. Keep both sides in step: the script
 * spells the same names.
 *
 * Dimensions: a notebook instance is `NotebookInstanceName`; a Studio app is identified by its
 * space, `DomainId` + `SpaceName` — a space runs one app at a time, its app is nearly always
 * named `default` (so the app name alone is ambiguous across spaces), and the space survives
 * the app being deleted and started again, so its series continues.
 */
export const HEARTBEAT_NAMESPACE = "MLJanitor/Notebooks";
export const HEARTBEAT_METRIC = "JupyterActivity";
/** The script checks and publishes this often: one datapoint per 5 minutes while it runs. */
export const HEARTBEAT_INTERVAL_SECONDS = 300;

export function notebookHeartbeatDimensions(notebookInstanceName: string): Record<string, string> {
  return { NotebookInstanceName: notebookInstanceName };
}

export function spaceHeartbeatDimensions(domainId: string, spaceName: string): Record<string, string> {
  return { DomainId: domainId, SpaceName: spaceName };
}
