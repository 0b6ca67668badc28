/**
 * Where a finding's notice goes: the owner's DM when the owner tag's email is a Slack user,
 * else the team's channel from the config, else the default channel.
 *
 * DMs go through conversations.open (scope im:write) rather than posting to the user id: the
 * route then names the real `D…` channel, the same id chat.update needs later. Lookups are
 * cached for the resolver's life (one run), including "no such user", so a run with 40
 * findings for one owner makes one users.lookupByEmail call.
 */

import { SlackApiError } from "../errors.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import type { Finding } from "../types.ts";
import type { SlackApi } from "./client.ts";

export interface OwnerRoute {
  channel: string;
  /** The owner's Slack user id, when the owner email is a Slack user: they may decide. */
  userId?: string;
  via: "dm" | "team" | "default";
}

export interface OwnerResolver {
  resolve(finding: Finding): Promise<OwnerRoute>;
  /** The Slack user id for an owner email, or undefined (cached like `resolve`). */
  userIdFor(email: string): Promise<string | undefined>;
}

/** Slack's answers that mean "no usable user with this email": fall through to team/default. */
const NOT_A_USER = new Set(["users_not_found", "user_not_found", "invalid_email"]);

export function createOwnerResolver({
  slack,
  config,
}: {
  slack: SlackApi;
  config: Pick<JanitorConfig["slack"], "defaultChannel" | "teamChannels">;
}): OwnerResolver {
  const users = new Map<string, Promise<string | undefined>>();
  const dms = new Map<string, Promise<string>>();

  function memo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit;
    const loading = load();
    cache.set(key, loading);
    // A throttle or outage is not an answer: the next call asks again.
    loading.catch(() => cache.delete(key));
    return loading;
  }

  function userIdFor(email: string): Promise<string | undefined> {
    const key = email.trim().toLowerCase();
    return memo(users, key, async () => {
      try {
        const user = await slack.lookupUserByEmail(key);
        return user.deleted ? undefined : user.id;
      } catch (err) {
        if (err instanceof SlackApiError && NOT_A_USER.has(err.code)) return undefined;
        throw err;
      }
    });
  }

  function dmChannel(userId: string): Promise<string> {
    return memo(dms, userId, async () => (await slack.openDirectMessage(userId)).channel);
  }

  return {
    userIdFor,
    async resolve(finding) {
      const { email, team } = finding.owner;
      if (email) {
        const userId = await userIdFor(email);
        if (userId) return { channel: await dmChannel(userId), userId, via: "dm" };
      }
      const teamChannel = team ? config.teamChannels[team] : undefined;
      if (teamChannel) return { channel: teamChannel, via: "team" };
      return { channel: config.defaultChannel, via: "default" };
    },
  };
}
