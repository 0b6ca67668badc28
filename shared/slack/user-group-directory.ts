/**
 * Members of the approver user groups (usergroups.users.list, scope usergroups:read), cached
 * per group for a few minutes: clicks come in bursts, membership changes rarely, and a
 * removed approver should not keep deciding for the life of a warm container.
 */
import type { SlackApi } from "./client.ts";

export interface UserGroupDirectory {
  /** Group id → member ids, for these groups. */
  membersOf(groupIds: readonly string[]): Promise<Record<string, string[]>>;
}

export function createUserGroupDirectory({
  slack,
  ttlMs = 5 * 60_000,
  clock = () => new Date(),
}: {
  slack: SlackApi;
  ttlMs?: number;
  clock?: () => Date;
}): UserGroupDirectory {
  const cache = new Map<string, { at: number; members: Promise<string[]> }>();

  function members(groupId: string): Promise<string[]> {
    const now = clock().getTime();
    const hit = cache.get(groupId);
    if (hit && now - hit.at < ttlMs) return hit.members;
    const loading = slack.listUserGroupMembers(groupId);
    cache.set(groupId, { at: now, members: loading });
    loading.catch(() => cache.delete(groupId));
    return loading;
  }

  return {
    async membersOf(groupIds) {
      const entries = await Promise.all(groupIds.map(async (id) => [id, await members(id)] as const));
      return Object.fromEntries(entries);
    },
  };
}
