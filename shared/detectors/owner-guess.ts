/**
 * Who owns a resource nobody tagged with an owner: the owner tag; else the creator where AWS or
 * a convention records it (the inventory's own field, a `created-by` tag, `aws:createdBy`, the
 * Studio user profile of `sagemaker:user-profile-arn`), used when it holds an email; the team
 * from the team tag.
 */
import type { Owner } from "../types.ts";
import type { TagSettings } from "./types.ts";

export const hasValue = (value: string | undefined): boolean => value !== undefined && value.trim() !== "";

/** What the guess needs of a resource. */
export interface OwnerSubject {
  tags: Record<string, string>;
  /** Who created it, where the inventory records it (not from tags). */
  creator?: { value: string; source: string };
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
/** Conventional tags naming whoever created a resource. */
const CREATOR_TAGS = ["created-by", "createdBy", "CreatedBy", "creator"];
/** AWS's generated cost-allocation tag: "AssumedRole:AROA…:alice@example.com" — the last part is the name. */
const AWS_CREATED_BY = "aws:createdBy";
const PROFILE_ARN_TAG = "sagemaker:user-profile-arn";

/** The creator as recorded on the resource: its own field first, then conventional tags. */
function creatorOf(c: OwnerSubject): { value: string; source: string } | undefined {
  if (c.creator) return c.creator;
  for (const key of CREATOR_TAGS) {
    const value = c.tags[key];
    if (hasValue(value)) return { value: value!.trim(), source: `${key} tag` };
  }
  const generated = c.tags[AWS_CREATED_BY];
  if (hasValue(generated)) return { value: generated!.split(":").at(-1)!, source: `${AWS_CREATED_BY} tag` };
  const profileArn = c.tags[PROFILE_ARN_TAG];
  if (hasValue(profileArn)) {
    return { value: profileArn!.split("/").at(-1)!, source: `${PROFILE_ARN_TAG} tag (Studio user profile)` };
  }
  return undefined;
}

export interface OwnerGuess {
  owner: Owner;
  source: string;
  creator?: { value: string; source: string };
}

export function guessOwner(c: OwnerSubject, settings: TagSettings): OwnerGuess {
  const owner: Owner = {};
  const team = c.tags[settings.teamTag];
  if (hasValue(team)) owner.team = team!;
  const tagged = c.tags[settings.ownerTag];
  if (tagged?.includes("@")) return { owner: { ...owner, email: tagged.trim() }, source: "owner tag" };
  const creator = creatorOf(c);
  const email = creator ? EMAIL.exec(creator.value)?.[0] : undefined;
  if (creator && email) return { owner: { ...owner, email }, source: `creator (${creator.source})`, creator };
  const source = owner.team ? "team tag" : "unknown";
  return { owner, source, ...(creator ? { creator } : {}) };
}
