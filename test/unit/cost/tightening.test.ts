import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
} from "@aws-sdk/client-cost-explorer";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { addDays } from "../../../shared/cost/dates.ts";
import { runCostWatch } from "../../../shared/cost/run-cost-watch.ts";
import { describeTightening, durationWords } from "../../../shared/cost/tightening.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";
import type { SlackApi } from "../../../shared/slack/client.ts";
import { MemoryCostStore } from "../../fixtures/cost-store.ts";

const ce = mockClient(CostExplorerClient);
const client = new CostExplorerClient({ region: "us-east-1" });

/** nlp spends $100/day; $3,000 budget: 75% is passed on the 24th (23 days spent). */
const config = parseConfig(`
version: 1
accounts: { enforce: ["111122223333"] }
slack:
  defaultChannel: "#ml-janitor"
  teamChannels: { nlp: "#nlp" }
budgets:
  - name: nlp-monthly
    scope: { team: nlp }
    monthlyUsd: 3000
    tighten: { atPercent: 75, gracePeriod: 1d, timeoutAction: stop, policies: [idle-notebooks, idle-gpu] }
policies:
  - name: idle-notebooks
    type: idle-notebook
    mode: enforce
    gracePeriod: 3d
  - name: idle-gpu
    type: idle-gpu-instance
    mode: enforce
    gracePeriod: 12h
    timeoutAction: stop
`);

function fakeSlack() {
  const posts: Array<{ channel: string; text: string; blocks?: unknown[] }> = [];
  const slack: SlackApi = {
    postMessage: async (m) => {
      posts.push(m);
      return { channel: m.channel, ts: `${posts.length}.0` };
    },
    updateMessage: async (m) => ({ channel: m.channel, ts: m.ts }),
    postEphemeral: async () => ({ messageTs: "1" }),
    lookupUserByEmail: async () => ({ id: "UX", deleted: false }),
    openDirectMessage: async (userId) => ({ channel: `D${userId}` }),
    openView: async () => ({ viewId: "V1" }),
    listUserGroupMembers: async () => [],
  };
  return { slack, posts };
}

describe("tightening past a budget threshold (cost watch side)", () => {
  beforeEach(() => {
    ce.reset();
    ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
      const results = [];
      for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
        results.push({
          TimePeriod: { Start: d, End: addDays(d, 1) },
          Groups: [{ Keys: ["Amazon SageMaker", "team$nlp"], Metrics: { UnblendedCost: { Amount: "100" } } }],
        });
      }
      return { ResultsByTime: results };
    });
    ce.on(GetCostForecastCommand).rejects(
      Object.assign(new Error("no"), { name: "DataUnavailableException" }),
    );
  });

  it("records the scope once for the month at 75%, states it in the alerts, and starts over after rollover", async () => {
    const store = new MemoryCostStore();
    const { slack, posts } = fakeSlack();
    const seen: string[] = [];
    for (let day = 1; day <= 35; day++) {
      const now = new Date(Date.UTC(2026, 9, day, 8)); // Oct 1 … Nov 4, each day run twice
      for (let run = 0; run < 2; run++) {
        const report = await runCostWatch({
          config,
          costExplorer: client,
          accountId: "111122223333",
          store,
          slack,
          inventory: async () => ({}),
          now,
        });
        for (const a of report.budgetAlerts)
          seen.push(`${now.toISOString().slice(0, 10)} ${a.percent} ${a.tightening ?? "-"}`);
      }
      // The record exists from the 24th on, and only for October.
      const month = now.toISOString().slice(0, 7);
      const expected = month === "2026-10" && day >= 24 ? 1 : 0;
      expect(await store.tighteningsOf(month)).toHaveLength(expected);
    }

    const stated = "idle notebooks of team nlp now stop after 1 day without an answer, until 1 Nov";
    expect(seen).toEqual([
      "2026-10-09 25 -",
      "2026-10-16 50 -",
      `2026-10-24 75 ${stated}`,
      `2026-10-31 100 ${stated}`,
    ]);
    expect([...store.tightenings.values()]).toEqual([
      {
        month: "2026-10",
        scope: "team:nlp",
        budget: "nlp-monthly",
        percent: 75,
        at: "2026-10-24T08:00:00.000Z",
      },
    ]);
    const alert = posts.find((p) => p.text.includes("75%"))!;
    expect(JSON.stringify(alert.blocks)).toContain(`:lock: Janitor tightened: ${stated}.`);
    expect(await store.tighteningsOf("2026-11")).toEqual([]);
  });

  it("says only what changes per policy", () => {
    const budget = config.budgets[0]!;
    // idle-gpu already stops after 12h: neither its action nor its grace period changes.
    expect(describeTightening(budget, config, "2026-11")).toBe(
      "idle notebooks of team nlp now stop after 1 day without an answer, until 1 Dec",
    );
    const graceOnly = {
      ...budget,
      tighten: { ...budget.tighten!, timeoutAction: "none" as const, gracePeriod: "6h" },
    };
    expect(describeTightening(graceOnly, config, "2026-12")).toBe(
      "idle notebooks of team nlp now get 6 hours for an answer; idle gpu of team nlp now get 6 hours for an answer, until 1 Jan",
    );
    expect(durationWords("1d")).toBe("1 day");
    expect(durationWords("2w")).toBe("2 weeks");
  });
});
