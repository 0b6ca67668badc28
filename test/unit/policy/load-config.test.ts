import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectorTypes } from "../../../shared/detectors/registry.ts";
import { ConfigError } from "../../../shared/errors.ts";
import { configJsonSchema } from "../../../shared/policy/json-schema.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";

function problems(text: string): string[] {
  try {
    parseConfig(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error("expected the config to be refused");
}

const policy = (extra: string) => `version: 1\npolicies:\n  - name: idle\n    type: idle-endpoint\n${extra}`;

describe("janitor.yml validation", () => {
  it("accepts the shipped janitor.yml", () => {
    const config = parseConfig(readFileSync("janitor.yml", "utf8"));
    expect(config.policies.map((p) => p.type)).toContain("idle-endpoint");
  });

  it("fills safe defaults: a new policy only reports, and does nothing on timeout", () => {
    const config = parseConfig(policy(""));
    expect(config.policies[0]).toMatchObject({
      mode: "report",
      timeoutAction: "none",
      gracePeriod: "3d",
      params: { windowDays: 14, maxInvocations: 0 },
    });
    expect(config.tags.protect).toBe("janitor:protect");
    expect(config.regions).toEqual(["us-east-1"]);
  });

  it("names an unknown detector type and lists the valid ones", () => {
    expect(problems("version: 1\npolicies:\n  - name: x\n    type: idle-endpont\n")).toEqual([
      `policies[0].type: unknown detector type "idle-endpont"; valid types: ${detectorTypes().join(", ")}`,
    ]);
  });

  it("rejects unknown keys with the valid keys at that place (typos in params too)", () => {
    expect(problems(policy("    params: { windwDays: 3 }\n"))).toEqual([
      'policies[0].params: unknown key "windwDays"; valid keys: windowDays, maxInvocations',
    ]);
    expect(problems("version: 1\nregionz: [us-east-1]\n")[0]).toMatch(
      /^\(top level\): unknown key "regionz"; valid keys: version, accounts, regions/,
    );
  });

  it("lists valid values for enums", () => {
    expect(problems(policy("    mode: enforced\n"))).toEqual([
      'policies[0].mode: "enforced" is not valid; valid values: report, notify, enforce',
    ]);
  });

  it("refuses a timeout action the detector cannot take", () => {
    expect(problems(policy("    timeoutAction: stop\n"))).toEqual([
      'policies[0].timeoutAction: "stop" is not possible for idle-endpoint; valid values: none, delete',
    ]);
  });

  it("refuses enforce mode without an account allowlist", () => {
    expect(problems(policy("    mode: enforce\n"))[0]).toMatch(
      /^policies\[0\]\.mode: mode enforce needs at least one account/,
    );
  });

  it("checks param ranges, durations and duplicate names", () => {
    const text = `version: 1
policies:
  - { name: idle, type: idle-endpoint, params: { windowDays: 0 }, gracePeriod: 3 days }
  - { name: idle, type: idle-endpoint }
`;
    const issues = problems(text);
    expect(issues).toContain('policies[1].name: duplicate policy name "idle"');
    expect(issues.some((i) => i.startsWith("policies[0].params.windowDays:"))).toBe(true);
    expect(issues.some((i) => i.startsWith("policies[0].gracePeriod: a duration such as"))).toBe(true);
  });

  it("reports broken YAML and a missing version", () => {
    expect(problems("a: [\n")[0]).toMatch(/^YAML: /);
    expect(problems("policies: []\n")).toEqual(["version: required; valid values: 1"]);
  });

  it("ships a JSON Schema that matches the zod schema", () => {
    const committed = JSON.parse(readFileSync("janitor.schema.json", "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });
});
