/**
 * Who may approve, snooze, keep or restore: the resource's owner (the Slack user their owner
 * email resolves to), a configured approver, or a member of a configured approver user group.
 * Pure: group membership is looked up beforehand (see user-group-directory.ts).
 */
import type { Finding } from "../types.ts";

export interface AuthorizationInput {
  /** Who clicked. */
  userId: string;
  /** For callers that log or audit the decision; the rule itself needs only the ids below. */
  finding?: Finding;
  /** The owner's Slack user id, resolved from the owner email when the notice was sent. */
  ownerUserId?: string;
  approvers: { users: readonly string[]; userGroups: readonly string[] };
  /** User group id → member user ids, for the configured approver groups. */
  userGroupMembers?: Readonly<Record<string, readonly string[]>>;
}

export type DeciderRole = "owner" | "approver" | "approver-group";

/** Why this user may decide, or undefined when they may not. */
export function deciderRole(input: AuthorizationInput): DeciderRole | undefined {
  const { userId, ownerUserId, approvers, userGroupMembers = {} } = input;
  if (ownerUserId !== undefined && userId === ownerUserId) return "owner";
  if (approvers.users.includes(userId)) return "approver";
  // Only configured groups count, whatever else the caller looked up.
  if (approvers.userGroups.some((group) => userGroupMembers[group]?.includes(userId)))
    return "approver-group";
  return undefined;
}

export function isAuthorized(input: AuthorizationInput): boolean {
  return deciderRole(input) !== undefined;
}
