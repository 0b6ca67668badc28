/** What every action shares: per-region clients and the origin-state check. */
import type { AwsClients } from "../aws/clients.ts";
import { InvalidStateError, InvalidUndoRecordError } from "../errors.ts";
import type { UndoRecord } from "../store/workflow-types.ts";
import type { Finding } from "../types.ts";
import type { ActionKind, ActionOutcome } from "./types.ts";

/** `fromState` of an outcome when the resource no longer exists. */
export const GONE = "gone";

/** Per-region factories made from a factory, reused so a run over many findings builds one each. */
const regional = new WeakMap<AwsClients, Map<string, AwsClients>>();

/** Clients for the resource's region (the factory itself when it is already that region's). */
export function clientsFor(clients: AwsClients, region: string | undefined): AwsClients {
  if (!region || region === clients.options.region) return clients;
  let byRegion = regional.get(clients);
  if (!byRegion) {
    byRegion = new Map();
    regional.set(clients, byRegion);
  }
  let made = byRegion.get(region);
  if (!made) {
    made = clients.forRegion(region);
    byRegion.set(region, made);
  }
  return made;
}

/** `arn:aws:<service>:<region>:…` → region (undefined for region-less ARNs). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region ? region : undefined;
}

/**
 * Decides from a fresh state: "act" from a valid origin state, "done" from a done state,
 * and an InvalidStateError (nothing changed) from anything else.
 */
export function checkOrigin(
  contract: { validOriginStates: readonly string[]; doneStates: readonly string[] },
  resource: string,
  state: string,
): "act" | "done" {
  if (contract.validOriginStates.includes(state)) return "act";
  if (contract.doneStates.includes(state)) return "done";
  throw new InvalidStateError(resource, state, contract.validOriginStates);
}

/** Reads a string field of an undo record's data, or fails loudly: a restore must not guess. */
export function undoString(data: Record<string, unknown>, key: string, what: string): string {
  const value = data[key];
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidUndoRecordError(`undo record for ${what} has no "${key}"`);
  }
  return value;
}

/** The undo record of an action on the finding's resource (the caller adds findingId and savedAt). */
export function undoFor(
  finding: Finding,
  action: ActionKind,
  data: Record<string, unknown>,
): NonNullable<ActionOutcome["undo"]> {
  return {
    resourceArn: finding.resource.arn,
    resourceType: finding.resource.type,
    action,
    data: { region: finding.resource.region, ...data },
  };
}

/** The region an undo record's resource lives in: saved with it, else read from its ARN. */
export function undoRegion(undo: Pick<UndoRecord, "data" | "resourceArn">): string | undefined {
  return typeof undo.data.region === "string" ? undo.data.region : regionOfArn(undo.resourceArn);
}
