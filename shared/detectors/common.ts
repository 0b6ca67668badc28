/** Helpers every detector shares: who owns a resource, and whether it is off limits. */
import type { Owner, Tags } from "../types.ts";
import type { Exclusions, TagSettings } from "./types.ts";

export function ownerFromTags(tags: Tags, settings: TagSettings): Owner {
  const owner: Owner = {};
  const email = tags[settings.ownerTag];
  if (email?.includes("@")) owner.email = email;
  const team = tags[settings.teamTag];
  if (team) owner.team = team;
  return owner;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * Why a resource must be left out, or undefined when it may be judged. The protect tag
 * always wins; then the policy's tag and name exclusions.
 */
export function exclusionReason(
  name: string,
  tags: Tags,
  settings: TagSettings,
  exclude: Exclusions,
): string | undefined {
  if (tags[settings.protectTag] !== undefined && tags[settings.protectTag] !== "false") {
    return `protect tag ${settings.protectTag}`;
  }
  for (const [key, value] of Object.entries(exclude.tags)) {
    if (tags[key] !== undefined && (value === "*" || tags[key] === value)) {
      return `excluded by tag ${key}=${tags[key]}`;
    }
  }
  for (const pattern of exclude.namePatterns) {
    if (globToRegExp(pattern).test(name)) return `excluded by name pattern ${pattern}`;
  }
  return undefined;
}

export function isProduction(tags: Tags, settings: TagSettings): boolean {
  const value = tags[settings.production.tag];
  return value !== undefined && settings.production.values.includes(value.toLowerCase());
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
