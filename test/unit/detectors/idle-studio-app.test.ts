import { describe, expect, it } from "vitest";
import {
  type IdleStudioAppParams,
  idleStudioApp,
  idleStudioAppParams,
} from "../../../shared/detectors/idle-studio-app.ts";
import { emptyInventory, type Inventory } from "../../../shared/detectors/inventory.ts";
import type { MetricRequest } from "../../../shared/detectors/metrics.ts";
import type { DetectorContext } from "../../../shared/detectors/types.ts";
import { context, daysAgo, metricsFrom } from "../../fixtures/endpoints.ts";
import { app, DOMAIN, domain, hoursAgo, profile, space } from "../../fixtures/notebooks.ts";

const defaults: IdleStudioAppParams = idleStudioAppParams.parse(undefined);
const ENABLED = {
  JupyterLab: { enabled: true, idleTimeoutMinutes: 60 },
  CodeEditor: { enabled: true, idleTimeoutMinutes: 60 },
};

/** A Studio world: one domain (idle shutdown on unless said), ana's profile and private space. */
function world(partial: Partial<Inventory> = {}): Inventory {
  return emptyInventory({
    studioDomains: [domain({ idleShutdown: ENABLED })],
    studioUserProfiles: [profile()],
    studioSpaces: [space()],
    ...partial,
  });
}

function run(
  inventory: Inventory,
  answer: (r: MetricRequest) => number[] | undefined = () => undefined,
  params: Partial<IdleStudioAppParams> = {},
  overrides: Partial<DetectorContext<IdleStudioAppParams>> = {},
) {
  const ctx = context({ ...defaults, ...params }, { policy: "idle-studio-apps", ...overrides });
  const requests = idleStudioApp.metricRequests(inventory, ctx);
  return { requests, result: idleStudioApp.detect(inventory, metricsFrom(answer), ctx) };
}

const apps = (r: ReturnType<typeof run>) =>
  r.result.findings.filter((f) => f.resource.type === "sagemaker:app");

describe("idle-studio-app params", () => {
  it("defaults to the three billable app types and recommends idle shutdown", () => {
    expect(defaults).toMatchObject({
      idleHours: 24,
      maxOffHours: 12,
      timezone: "UTC",
      appTypes: ["JupyterLab", "CodeEditor", "KernelGateway"],
      recommendIdleShutdown: true,
    });
    expect(idleStudioAppParams.safeParse({ appTypes: ["JupyterServer"] }).success).toBe(false);
    expect(idleStudioAppParams.safeParse({ recommend: true }).success).toBe(false);
  });
});

describe("idle-studio-app apps", () => {
  it("flags a JupyterLab app on a GPU running through the weekend with no heartbeat", () => {
    const r = run(world({ studioApps: [app()] }));
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({
      namespace: "MLJanitor/Notebooks",
      metricName: "JupyterActivity",
      dimensions: { DomainId: DOMAIN, SpaceName: "ana-gpu-space" },
      stat: "Maximum",
      period: 3600,
    });
    const [f] = apps(r);
    expect(f).toBeDefined();
    expect(f!.reason).toBe(
      "JupyterLab app in space ana-gpu-space on ml.g5.2xlarge: InService for 2.8 days, through 59 h of off-hours (nights 20:00-07:00 and sat, sun all day, UTC), no activity heartbeat",
    );
    expect(f!.confidence).toBe("medium");
    expect(f!.proposedAction).toBe("delete");
    expect(f!.monthlyCostUsd).toBeCloseTo(1.515 * 730, 2);
    expect(f!.resource).toMatchObject({
      type: "sagemaker:app",
      id: `${DOMAIN}/ana-gpu-space/JupyterLab/default`,
      arn: `arn:aws:sagemaker:us-east-1:123456789012:app/${DOMAIN}/ana-gpu-space/jupyterlab/default`,
    });
    // What the delete action needs, in exact case.
    expect(f!.evidence).toMatchObject({
      source: "off-hours-policy",
      domainId: DOMAIN,
      spaceName: "ana-gpu-space",
      appType: "JupyterLab",
      appName: "default",
      instanceType: "ml.g5.2xlarge",
      createdAt: "2026-11-20T18:00:00.000Z",
    });
    // The owner comes from the private space's user profile.
    expect(f!.owner).toEqual({ email: "ana@example.com", team: "research" });
  });

  it("never judges free apps: system instance type, no instance type, JupyterServer, not InService", () => {
    const r = run(
      world({
        studioUserProfiles: [profile(), profile({ name: "legacy-user" })],
        studioApps: [
          app({
            spaceName: undefined,
            userProfileName: "legacy-user",
            appType: "KernelGateway",
            appName: "datascience",
            instanceType: "system",
          }),
          app({
            spaceName: undefined,
            userProfileName: "legacy-user",
            appType: "JupyterServer",
            instanceType: "system",
          }),
          app({
            spaceName: undefined,
            userProfileName: "legacy-user",
            appType: "JupyterServer",
            appName: "x",
            instanceType: "ml.t3.medium",
          }),
          app({ instanceType: undefined }),
          app({ appName: "gone", status: "Deleted" }),
          app({ appName: "starting", status: "Pending" }),
        ],
      }),
      () => undefined,
    );
    expect(r.requests).toEqual([]);
    expect(r.result).toEqual({ findings: [], excluded: [], unknown: [] });
  });

  it("judges KernelGateway apps on age and off-hours only: they cannot run the heartbeat", () => {
    const r = run(
      world({
        studioUserProfiles: [profile({ name: "legacy-user", tags: { owner: "lee@example.com" } })],
        studioApps: [
          app({
            spaceName: undefined,
            userProfileName: "legacy-user",
            appType: "KernelGateway",
            appName: "pytorch-gpu",
            instanceType: "ml.g4dn.xlarge",
          }),
        ],
      }),
    );
    expect(r.requests).toEqual([]);
    const [f] = apps(r);
    expect(f!.resource.id).toBe(`${DOMAIN}/legacy-user/KernelGateway/pytorch-gpu`);
    expect(f!.evidence).toMatchObject({ source: "off-hours-policy", userProfileName: "legacy-user" });
    expect(f!.evidence.heartbeat).toBeUndefined();
    expect(String(f!.evidence.hint)).toMatch(/cannot run the heartbeat/);
    expect(f!.owner).toEqual({ email: "lee@example.com" });
  });

  it("does not flag an app whose space heartbeat shows recent activity", () => {
    const active = Array(24).fill(0);
    active[23] = 1;
    const r = run(
      world({
        studioApps: [app({ appType: "CodeEditor", instanceType: "ml.t3.xlarge", creationTime: daysAgo(3) })],
      }),
      () => active,
    );
    expect(apps(r)).toEqual([]);
  });

  it("flags a day of idle beats with high confidence", () => {
    const r = run(world({ studioApps: [app({ creationTime: daysAgo(3) })] }), () => Array(24).fill(0));
    const [f] = apps(r);
    expect(f!.confidence).toBe("high");
    expect(f!.reason).toBe(
      "JupyterLab app in space ana-gpu-space on ml.g5.2xlarge: no activity for 24 hours (heartbeat)",
    );
    expect(f!.evidence).toMatchObject({ source: "heartbeat", heartbeat: { coverage: 1, maxValue: 0 } });
  });

  it("treats an idle heartbeat on an app younger than idleHours as unknown", () => {
    const r = run(world({ studioApps: [app({ creationTime: hoursAgo(10) })] }), () => Array(10).fill(0));
    expect(apps(r)).toEqual([]);
    expect(r.result.unknown).toEqual([
      {
        resource: `${DOMAIN}/ana-gpu-space/JupyterLab/default`,
        reason: "heartbeat idle, but InService for less than idleHours (24 h)",
      },
    ]);
  });

  it("flags on policy only past maxOffHours (Sun 19:00 → Mon 12:00 UTC is exactly 12 h)", () => {
    const exactly = new Date("2026-11-22T19:00:00Z");
    expect(apps(run(world({ studioApps: [app({ creationTime: exactly })] })))).toEqual([]);
    const over = apps(
      run(world({ studioApps: [app({ creationTime: new Date(exactly.getTime() - 60_000) })] })),
    );
    expect(over).toHaveLength(1);
    expect(over[0]!.confidence).toBe("low");
  });

  it("counts off-hours in the policy's time zone", () => {
    const since = new Date("2026-11-22T19:00:00Z");
    const la = apps(
      run(world({ studioApps: [app({ creationTime: since })] }), undefined, {
        timezone: "America/Los_Angeles",
      }),
    );
    expect(la[0]!.evidence).toMatchObject({ offHours: { hoursRunningInOffHours: 17 } });
  });

  it("inherits tags: a protected space protects its apps; exclusions match the space name", () => {
    const protectedSpace = run(
      world({ studioSpaces: [space({ tags: { "janitor:protect": "true" } })], studioApps: [app()] }),
    );
    expect(protectedSpace.requests).toEqual([]);
    expect(protectedSpace.result.excluded).toEqual([
      { resource: `${DOMAIN}/ana-gpu-space/JupyterLab/default`, reason: "protect tag janitor:protect" },
    ]);
    const byName = run(
      world({ studioApps: [app()] }),
      undefined,
      {},
      {
        exclude: { tags: {}, namePatterns: ["ana-*"] },
      },
    );
    expect(byName.result.excluded).toEqual([
      { resource: `${DOMAIN}/ana-gpu-space/JupyterLab/default`, reason: "excluded by name pattern ana-*" },
    ]);
    const appTag = run(
      world({ studioApps: [app({ tags: { team: "infra" } })] }),
      undefined,
      {},
      {
        exclude: { tags: { team: "infra" }, namePatterns: [] },
      },
    );
    expect(appTag.result.excluded).toHaveLength(1);
  });

  it("judges only the app types the policy names", () => {
    const r = run(world({ studioApps: [app()] }), undefined, { appTypes: ["CodeEditor"] });
    expect(r.result.findings).toEqual([]);
  });

  it("still flags an instance type without a list price, at cost 0", () => {
    const [f] = apps(run(world({ studioApps: [app({ instanceType: "ml.x99.huge" })] })));
    expect(f!.monthlyCostUsd).toBe(0);
    expect(f!.evidence).toMatchObject({ unpricedInstanceType: "ml.x99.huge" });
  });
});

describe("idle-studio-app recommendations", () => {
  it("recommends idle shutdown for a domain without it, at cost 0, listing the running apps it would cover", () => {
    const r = run(
      world({
        studioDomains: [domain()],
        studioApps: [
          app(),
          app({
            spaceName: "shared",
            appType: "CodeEditor",
            instanceType: "ml.t3.xlarge",
            creationTime: hoursAgo(1),
          }),
        ],
        studioSpaces: [space(), space({ name: "shared", ownerUserProfileName: undefined })],
      }),
    );
    const rec = r.result.findings.find((f) => f.resource.type === "sagemaker:domain")!;
    expect(rec).toMatchObject({
      proposedAction: "review",
      monthlyCostUsd: 0,
      confidence: "high",
      reason:
        "Studio domain ml-research has no built-in idle shutdown for JupyterLab, CodeEditor apps (2 running apps not covered)",
      resource: { id: DOMAIN, arn: `arn:aws:sagemaker:us-east-1:123456789012:domain/${DOMAIN}` },
    });
    expect(rec.evidence).toMatchObject({
      kind: "recommendation",
      appTypesWithoutIdleShutdown: ["JupyterLab", "CodeEditor"],
      runningAppsMonthlyUsd: Math.round((1.515 + 0.2) * 730 * 100) / 100,
    });
    expect(rec.evidence.runningAppsWithoutIdleShutdown).toHaveLength(2);
  });

  it("does not recommend anything for a domain with idle shutdown on for both app types", () => {
    const r = run(world({ studioApps: [app()] }));
    expect(r.result.findings.filter((f) => f.proposedAction === "review")).toEqual([]);
  });

  it("names the missing app type when only one has idle shutdown", () => {
    const r = run(
      world({
        studioDomains: [
          domain({ idleShutdown: { JupyterLab: ENABLED.JupyterLab, CodeEditor: { enabled: false } } }),
        ],
      }),
    );
    expect(r.result.findings[0]!.evidence).toMatchObject({ appTypesWithoutIdleShutdown: ["CodeEditor"] });
  });

  it("flags a user profile that turns idle shutdown off, and counts its apps as not covered", () => {
    const r = run(
      world({
        studioUserProfiles: [profile({ idleShutdown: { JupyterLab: { enabled: false } } })],
        studioApps: [app()],
      }),
    );
    const rec = r.result.findings.find((f) => f.resource.type === "sagemaker:user-profile")!;
    expect(rec.reason).toBe("Studio user profile ana turns built-in idle shutdown off for JupyterLab apps");
    expect(rec.resource.id).toBe(`${DOMAIN}/ana`);
    expect(rec.owner).toEqual({ email: "ana@example.com", team: "research" });
    expect(rec.evidence.runningAppsWithoutIdleShutdown).toEqual([
      {
        app: `${DOMAIN}/ana-gpu-space/JupyterLab/default`,
        instanceType: "ml.g5.2xlarge",
        monthlyCostUsd: 1105.95,
      },
    ]);
  });

  it("counts a profile that turns idle shutdown on as covered in a domain without it", () => {
    const r = run(
      world({
        studioDomains: [domain()],
        studioUserProfiles: [
          profile({ idleShutdown: { JupyterLab: { enabled: true, idleTimeoutMinutes: 120 } } }),
        ],
        studioApps: [app()],
      }),
    );
    const rec = r.result.findings.find((f) => f.resource.type === "sagemaker:domain")!;
    expect(rec.evidence.runningAppsWithoutIdleShutdown).toEqual([]);
    expect(rec.reason).not.toMatch(/not covered/);
  });

  it("excludes protected domains, skips domains not InService, and can be turned off", () => {
    const protectedDomain = run(world({ studioDomains: [domain({ tags: { "janitor:protect": "yes" } })] }));
    expect(protectedDomain.result.findings).toEqual([]);
    expect(protectedDomain.result.excluded).toEqual([
      { resource: DOMAIN, reason: "protect tag janitor:protect" },
    ]);
    expect(run(world({ studioDomains: [domain({ status: "Deleting" })] })).result.findings).toEqual([]);
    expect(
      run(world({ studioDomains: [domain()] }), undefined, { recommendIdleShutdown: false }).result.findings,
    ).toEqual([]);
  });
});

describe("idle-studio-app re-check wording", () => {
  const ctx = context(defaults, { policy: "idle-studio-apps" });
  const say = (
    inventory: Inventory,
    id: string,
    answer: (r: MetricRequest) => number[] | undefined = () => undefined,
  ) => idleStudioApp.describeActivity!(inventory, metricsFrom(answer), ctx, id);
  const LAB = `${DOMAIN}/ana-gpu-space/JupyterLab/default`;

  it("says what cleared an app, a domain or a profile", () => {
    const active = Array(24).fill(0);
    active[22] = 1;
    expect(say(world({ studioApps: [app()] }), LAB, () => active)).toMatch(
      /^activity in space ana-gpu-space in the hour from .*Z \(heartbeat\): the app is in use$/,
    );
    expect(say(world({ studioApps: [app({ status: "Deleted" })] }), LAB)).toBe(
      `Studio app ${LAB} no longer exists (deleted)`,
    );
    expect(say(world({ studioApps: [app({ creationTime: hoursAgo(1) })] }), LAB)).toMatch(
      /within the 12 h limit$/,
    );
    expect(say(world(), DOMAIN)).toBe("Studio domain ml-research now has built-in idle shutdown on");
    expect(say(world(), `${DOMAIN}/ana`)).toBe("Studio user profile ana no longer turns idle shutdown off");
    expect(say(world(), "d-gone00000000")).toBe("Studio domain d-gone00000000 no longer exists");
  });
});
