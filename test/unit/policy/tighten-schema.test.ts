import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../shared/errors.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";

const head = `
version: 1
accounts: { enforce: ["123456789012"] }
policies:
  - { name: idle-notebooks, type: idle-notebook, mode: enforce }
  - { name: idle-endpoints, type: idle-endpoint, mode: enforce }
  - { name: watch-notebooks, type: idle-notebook, mode: notify }
budgets:
`;

function issues(budget: string): string[] {
  try {
    parseConfig(`${head}${budget}`);
  } catch (err) {
    return (err as ConfigError).issues ?? [];
  }
  return [];
}

describe("budgets[].tighten in janitor.yml", () => {
  it("accepts a team's tightening and fills the defaults", () => {
    const config = parseConfig(`${head}  - name: nlp
    scope: { team: nlp }
    monthlyUsd: 1000
    tighten: { atPercent: 75, gracePeriod: 1d, policies: [idle-notebooks] }
`);
    expect(config.budgets[0]!.tighten).toEqual({
      atPercent: 75,
      gracePeriod: "1d",
      timeoutAction: "none",
      policies: ["idle-notebooks"],
    });
    expect(config.costWatch.resourceLevel).toBe(false);
  });

  it.each([
    [
      "{ atPercent: 75, timeoutAction: delete, policies: [idle-notebooks] }",
      /budgets\[0\]\.tighten\.timeoutAction: "delete" is not valid; valid values: none, stop/,
    ],
    [
      "{ atPercent: 60, gracePeriod: 1d, policies: [idle-notebooks] }",
      /atPercent 60 must be one of the budget's thresholds \(25, 50, 75, 100\)/,
    ],
    [
      "{ atPercent: 75, policies: [idle-notebooks] }",
      /tighten needs a gracePeriod, timeoutAction: stop, or both/,
    ],
    [
      "{ atPercent: 75, gracePeriod: 1d, policies: [idle-notebook] }",
      /no policy named "idle-notebook" \(policies: idle-notebooks, idle-endpoints, watch-notebooks\)/,
    ],
    [
      "{ atPercent: 75, gracePeriod: 1d, policies: [watch-notebooks] }",
      /policy "watch-notebooks" is in notify mode: it never acts, so there is nothing to tighten/,
    ],
    [
      "{ atPercent: 75, timeoutAction: stop, policies: [idle-endpoints] }",
      /policy "idle-endpoints" \(idle-endpoint\) cannot stop its resources; valid: delete/,
    ],
    ["{ atPercent: 75, gracePeriod: 1d, policies: [] }", /name at least one policy to tighten/],
    ["{ atPercent: 75, gracePeriod: 1d, policies: [idle-notebooks], when: always }", /when/],
  ])("refuses %s with a clear message", (tighten, message) => {
    const found = issues(`  - name: nlp
    scope: { team: nlp }
    monthlyUsd: 1000
    tighten: ${tighten}
`);
    expect(found.join("\n")).toMatch(message);
  });

  it("refuses tightening the whole account", () => {
    const found = issues(`  - name: all
    scope: { account: true }
    monthlyUsd: 1000
    tighten: { atPercent: 75, gracePeriod: 1d, policies: [idle-notebooks] }
`);
    expect(found.join("\n")).toMatch(/tighten applies to a team's or a project's budget, not the account's/);
  });
});

describe("janitor.yml's commented tighten example", () => {
  it("is valid once uncommented", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync("janitor.yml", "utf8");
    expect(text).toContain("    # tighten: {");
    const config = parseConfig(text.replace("    # tighten: {", "    tighten: {"));
    expect(config.budgets.find((b) => b.name === "team-nlp")?.tighten).toEqual({
      atPercent: 75,
      gracePeriod: "12h",
      timeoutAction: "stop",
      policies: ["idle-notebooks"],
    });
  });
});
