import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../shared/policy/load-config.ts";
import type { SlackApi } from "../../../shared/slack/client.ts";
import type { Tightening } from "../../../shared/store/cost-types.ts";
import type { WorkflowClaim, WorkflowStore } from "../../../shared/store/workflow-types.ts";
import type { Finding } from "../../../shared/types.ts";
import { notify, tightenedWords } from "../../../shared/workflow/notify.ts";
import { recheck } from "../../../shared/workflow/recheck.ts";
import { startWorkflows } from "../../../shared/workflow/start-workflows.ts";
import { tightenedTerms } from "../../../shared/workflow/tightening.ts";
import type { WorkflowState } from "../../../shared/workflow/types.ts";

const ACCOUNT = "123456789012";
const config = parseConfig(`
version: 1
accounts: { enforce: ["${ACCOUNT}"] }
budgets:
  - name: nlp-monthly
    scope: { team: nlp }
    monthlyUsd: 3000
    tighten: { atPercent: 75, gracePeriod: 1d, timeoutAction: stop, policies: [idle-notebooks] }
  - name: llm-monthly
    scope: { project: llm-finetune }
    monthlyUsd: 10000
    tighten: { atPercent: 50, gracePeriod: 12h, policies: [idle-endpoints, idle-notebooks] }
policies:
  - name: idle-notebooks
    type: idle-notebook
    mode: enforce
    gracePeriod: 3d
  - name: idle-endpoints
    type: idle-endpoint
    mode: enforce
    gracePeriod: 3d
    timeoutAction: delete
  - name: notebooks-notify
    type: idle-notebook
    mode: notify
`);
const november: Tightening = {
  month: "2026-11",
  scope: "team:nlp",
  budget: "nlp-monthly",
  percent: 75,
  at: "2026-11-20T08:00:00.000Z",
};

function notebook(name: string, tags: Record<string, string>, policy = "idle-notebooks"): Finding {
  const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/${name}`;
  return {
    id: `idle-notebook:${arn}`,
    detector: "idle-notebook",
    policy,
    resource: { type: "sagemaker:notebook-instance", id: name, arn, region: "us-east-1", tags },
    owner: { email: "sam@example.com", team: tags["team"] ?? "" },
    reason: "idle",
    evidence: {},
    confidence: "high",
    monthlyCostUsd: 100,
    proposedAction: "stop",
  } as Finding;
}
const policy = (name: string) => config.policies.find((p) => p.name === name)!;
const terms = (finding: Finding, policyName = finding.policy, tightenings = [november], account = ACCOUNT) =>
  tightenedTerms({ finding, policy: policy(policyName), config, tightenings, account });

describe("tightenedTerms", () => {
  it("gives the team's notebooks the shorter grace period and stop, until the month ends", () => {
    expect(terms(notebook("nb", { team: "nlp" }))).toEqual({
      budgets: ["nlp-monthly"],
      until: "2026-12-01",
      gracePeriod: "1d",
      timeoutAction: "stop",
    });
  });

  it("keeps the rails: other teams, notify policies, production, protected, other accounts, no record", () => {
    expect(terms(notebook("nb", { team: "vision" }))).toBeUndefined();
    expect(terms(notebook("nb", { team: "nlp" }, "notebooks-notify"))).toBeUndefined();
    expect(terms(notebook("nb", { team: "nlp", environment: "production" }))).toBeUndefined();
    expect(terms(notebook("nb", { team: "nlp", "janitor:protect": "true" }))).toBeUndefined();
    expect(
      terms(notebook("nb", { team: "nlp" }), "idle-notebooks", [november], "999999999999"),
    ).toBeUndefined();
    expect(terms(notebook("nb", { team: "nlp" }), "idle-notebooks", [])).toBeUndefined();
    // A record whose budget no longer tightens (edited out of janitor.yml) does nothing.
    expect(
      terms(notebook("nb", { team: "nlp" }), "idle-notebooks", [{ ...november, budget: "gone" }]),
    ).toBeUndefined();
  });

  it("never goes past stop: a delete policy keeps its own action, only the grace period shortens", () => {
    const llm: Tightening = {
      ...november,
      scope: "project:llm-finetune",
      budget: "llm-monthly",
      percent: 50,
    };
    expect(
      terms(notebook("ep", { project: "llm-finetune" }, "idle-endpoints"), "idle-endpoints", [llm]),
    ).toEqual({
      budgets: ["llm-monthly"],
      until: "2026-12-01",
      gracePeriod: "12h",
    });
  });

  it("combines a team's and a project's: the shortest grace period, stop if either says so", () => {
    const llm: Tightening = {
      ...november,
      scope: "project:llm-finetune",
      budget: "llm-monthly",
      percent: 50,
    };
    expect(
      terms(notebook("nb", { team: "nlp", project: "llm-finetune" }), "idle-notebooks", [november, llm]),
    ).toEqual({
      budgets: ["nlp-monthly", "llm-monthly"],
      until: "2026-12-01",
      gracePeriod: "12h",
      timeoutAction: "stop",
    });
  });
});

const sfn = mockClient(SFNClient);

function fakeStore(): WorkflowStore {
  let n = 0;
  return {
    claimWorkflow: async (findingId: string, now: Date): Promise<WorkflowClaim> => ({
      findingId,
      executionName: `exec-${++n}`,
      cycle: 1,
      decisionId: `d${n}`,
      claimedAt: now.toISOString(),
      started: false,
    }),
    markWorkflowStarted: async () => undefined,
  } as unknown as WorkflowStore;
}

describe("startWorkflows with tightened scopes", () => {
  beforeEach(() => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:x", startDate: new Date() });
  });

  async function start(now: Date, findings: Finding[]) {
    const months: string[] = [];
    const result = await startWorkflows({
      findings,
      config,
      store: fakeStore(),
      sfn: new SFNClient({ region: "us-east-1" }),
      stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:cleanup",
      scanId: "scan-1",
      accountId: ACCOUNT,
      now,
      tightenings: {
        tighteningsOf: async (month) => {
          months.push(month);
          return [november].filter((t) => t.month === month);
        },
      },
    });
    const inputs = sfn.commandCalls(StartExecutionCommand).map((c) => JSON.parse(c.args[0].input.input!));
    return { result, inputs, months };
  }

  it("starts the team's new findings with a 1-day grace period and stop; others unchanged", async () => {
    const now = new Date("2026-11-25T02:00:00Z");
    const nlp = notebook("nlp-nb", { team: "nlp" });
    const vision = notebook("vision-nb", { team: "vision" });
    const { result, inputs, months } = await start(now, [nlp, vision]);
    expect(months).toEqual(["2026-11"]);
    expect(result.tightened).toEqual([nlp.id]);
    const byId = new Map(inputs.map((i) => [i.finding.id, i]));
    expect(byId.get(nlp.id)).toMatchObject({
      tightening: { budgets: ["nlp-monthly"], until: "2026-12-01", gracePeriod: "1d", timeoutAction: "stop" },
      timing: { deadline: "2026-11-26T02:00:00.000Z", reminderSeconds: 43_200 },
    });
    expect(byId.get(vision.id).tightening).toBeUndefined();
    expect(byId.get(vision.id).timing.deadline).toBe("2026-11-28T02:00:00.000Z");
  });

  it("after the month rolls over, new findings get the policy's own terms again", async () => {
    const { result, inputs, months } = await start(new Date("2026-12-01T02:00:00Z"), [
      notebook("nlp-nb", { team: "nlp" }),
    ]);
    expect(months).toEqual(["2026-12"]);
    expect(result.tightened).toEqual([]);
    expect(inputs[0].tightening).toBeUndefined();
    expect(inputs[0].timing.deadline).toBe("2026-12-04T02:00:00.000Z");
  });
});

describe("a tightened execution downstream", () => {
  const timing = {
    noticeSeconds: 72_000,
    reminderSeconds: 14_400,
    deadline: "2026-11-26T02:00:00.000Z",
    reminderAt: "2026-11-25T22:00:00.000Z",
  };
  const state = (finding: Finding, tightening?: WorkflowState["tightening"]): WorkflowState =>
    ({
      finding,
      policyName: finding.policy,
      decisionId: "d1",
      executionName: "e1",
      scanId: "s1",
      timing,
      ...(tightening ? { tightening } : {}),
    }) as WorkflowState;

  async function noticeText(s: WorkflowState): Promise<string> {
    const posts: Array<{ text: string; blocks?: unknown[] }> = [];
    const slack = {
      postMessage: async (m: { channel: string; text: string; blocks?: unknown[] }) => {
        posts.push(m);
        return { channel: m.channel, ts: "1.0" };
      },
    } as unknown as SlackApi;
    const store = {
      getPendingDecision: async () => undefined,
      savePendingDecision: async () => undefined,
    } as unknown as WorkflowStore;
    await notify(
      { input: s, taskToken: "t", phase: "notice" },
      {
        config,
        store,
        slack,
        resolveOwner: async () => ({ channel: "#nlp", via: "team" }),
        now: new Date("2026-11-25T02:00:00Z"),
      },
    );
    return JSON.stringify(posts[0]!.blocks);
  }

  it("the notice announces the stop the tightening set; without it, nothing happens by itself", async () => {
    const nb = notebook("nb", { team: "nlp" });
    expect(
      await noticeText(
        state(nb, {
          budgets: ["nlp-monthly"],
          until: "2026-12-01",
          gracePeriod: "1d",
          timeoutAction: "stop",
        }),
      ),
    ).toContain("Stops on");
    // …and says why the terms are stricter than the policy's.
    expect(
      await noticeText(
        state(nb, {
          budgets: ["nlp-monthly"],
          until: "2026-12-01",
          gracePeriod: "1d",
          timeoutAction: "stop",
        }),
      ),
    ).toContain("Budget nlp-monthly passed its tightening threshold this month: 1d to answer, then it stops");
    expect(await noticeText(state(nb))).toContain("Nothing happens automatically");
    expect(await noticeText(state(nb))).not.toContain("tightening threshold");
  });

  it("the re-check keeps the notify rail even if an execution carries a tightening", async () => {
    const nb = notebook("nb", { team: "nlp" }, "notebooks-notify");
    const s = {
      ...state(nb, { budgets: ["nlp-monthly"], until: "2026-12-01", timeoutAction: "stop" }),
      decision: { kind: "timeout", actor: "janitor", at: "2026-11-26T02:00:00Z" },
    } as WorkflowState;
    const out = await recheck(s, {
      config,
      clients: {} as never,
      store: {} as never,
      now: new Date("2026-11-26T02:00:00Z"),
    });
    expect(out).toEqual({
      verdict: "skip",
      reason: "no answer; the policy only notifies, so nothing was done",
    });
  });
});

describe("tightenedWords", () => {
  it("says which budget tightened what, and until when", () => {
    expect(
      tightenedWords({
        budgets: ["team-nlp"],
        until: "2026-12-01",
        gracePeriod: "1d",
        timeoutAction: "stop",
      }),
    ).toBe(
      "Budget team-nlp passed its tightening threshold this month: 1d to answer, then it stops (until 2026-12-01).",
    );
    expect(tightenedWords({ budgets: ["a", "b"], until: "2026-12-01", gracePeriod: "12h" })).toBe(
      "Budgets a, b passed its tightening threshold this month: 12h to answer (until 2026-12-01).",
    );
  });
});
