/** An in-memory SlackApi for unit tests: scripted users and groups, every call recorded. */
import { vi } from "vitest";
import { SlackApiError } from "../../../shared/errors.ts";
import type { SlackApi } from "../../../shared/slack/client.ts";

export function fakeSlackApi(options: {
  users?: Record<string, { id: string; deleted?: boolean }>;
  groups?: Record<string, string[]>;
}) {
  const users = options.users ?? {};
  const groups = options.groups ?? {};
  const api = {
    postMessage: vi.fn(async ({ channel }: { channel: string }) => ({ channel, ts: "1.000001" })),
    updateMessage: vi.fn(async ({ channel, ts }: { channel: string; ts: string }) => ({ channel, ts })),
    postEphemeral: vi.fn(async () => ({ messageTs: "1.000002" })),
    lookupUserByEmail: vi.fn(async (email: string) => {
      const user = users[email];
      if (!user) throw new SlackApiError("users.lookupByEmail", "users_not_found");
      return { id: user.id, deleted: user.deleted === true };
    }),
    openDirectMessage: vi.fn(async (userId: string) => ({ channel: `D${userId.slice(1)}` })),
    openView: vi.fn(async () => ({ viewId: "V1" })),
    listUserGroupMembers: vi.fn(async (id: string) => {
      const members = groups[id];
      if (!members) throw new SlackApiError("usergroups.users.list", "no_such_subteam");
      return members;
    }),
  } satisfies SlackApi;
  return api;
}
