/** The demo workspace's people: every owner email in the scenario, plus an approver. */
import type { Scenario } from "../../local/sandbox/types.ts";
import type { LocalSlackUser } from "../../local/slack/server.ts";

function ownerEmails(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) ownerEmails(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "tags" && value && typeof value === "object") {
        const owner = (value as Record<string, unknown>).owner;
        if (typeof owner === "string" && owner.includes("@")) found.add(owner.toLowerCase());
      } else ownerEmails(value, found);
    }
  }
  return found;
}

export const DEMO_APPROVER: LocalSlackUser = { id: "U0LEAD", name: "lead", email: "lead@example.com" };

export function demoPeople(scenario: Scenario): LocalSlackUser[] {
  const people = [...ownerEmails(scenario, new Set())].sort().map((email) => {
    const name = email.split("@")[0]!.replace(/[^a-z0-9]/g, "");
    return { id: `U0${name.toUpperCase()}`, name, email };
  });
  return [...people, DEMO_APPROVER];
}
