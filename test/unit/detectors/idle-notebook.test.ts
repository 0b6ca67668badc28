import { describe, expect, it } from "vitest";
import {
  type IdleNotebookParams,
  idleNotebook,
  idleNotebookParams,
} from "../../../shared/detectors/idle-notebook.ts";
import { emptyInventory, type NotebookInfo } from "../../../shared/detectors/inventory.ts";
import type { MetricRequest } from "../../../shared/detectors/metrics.ts";
import type { DetectorContext } from "../../../shared/detectors/types.ts";
import { context, daysAgo, metricsFrom, NOW } from "../../fixtures/endpoints.ts";
import { HOUR, hoursAgo, LAST_FRIDAY_18, notebook } from "../../fixtures/notebooks.ts";

const defaults: IdleNotebookParams = idleNotebookParams.parse(undefined);

function run(
  notebooks: NotebookInfo[],
  answer: (r: MetricRequest) => number[] | undefined = () => undefined,
  params: Partial<IdleNotebookParams> = {},
  overrides: Partial<DetectorContext<IdleNotebookParams>> = {},
) {
  const ctx = context({ ...defaults, ...params }, { policy: "idle-notebooks", ...overrides });
  const inventory = emptyInventory({ notebooks });
  const requests = idleNotebook.metricRequests(inventory, ctx);
  return { requests, result: idleNotebook.detect(inventory, metricsFrom(answer), ctx) };
}

/** A heartbeat with one value per hour of the window. */
const beats = (values: number[]) => () => values;
const idleDay = beats(Array(24).fill(0));

describe("idle-notebook params", () => {
  it("has defaults that suit a team working days in UTC", () => {
    expect(defaults).toEqual({
      idleHours: 24,
      maxOffHours: 12,
      offHours: { nights: "20:00-07:00", weekendDays: ["sat", "sun"] },
      timezone: "UTC",
    });
  });

  it("rejects typos, unknown time zones and malformed nights", () => {
    expect(idleNotebookParams.safeParse({ idleHour: 3 }).success).toBe(false);
    expect(idleNotebookParams.safeParse({ timezone: "Mars/Olympus" }).success).toBe(false);
    expect(idleNotebookParams.safeParse({ offHours: { nights: "8pm-7am" } }).success).toBe(false);
    expect(idleNotebookParams.safeParse({ offHours: { nights: "20:00-20:00" } }).success).toBe(false);
    expect(
      idleNotebookParams.safeParse({ offHours: { nights: null, weekendDays: ["fri", "sat"] } }).success,
    ).toBe(true);
  });
});

describe("idle-notebook without a heartbeat (off-hours policy)", () => {
  it("flags a notebook InService over the weekend, says the policy decided, prices it", () => {
    const { result, requests } = run([notebook()]);

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      namespace: "MLJanitor/Notebooks",
      metricName: "JupyterActivity",
      dimensions: { NotebookInstanceName: "maria-exploration" },
      stat: "Maximum",
      period: 3600,
    });
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    // Fri 20:00-24:00 + all of Sat and Sun + Mon 00:00-07:00 (UTC).
    expect(f.reason).toBe(
      "InService through 59 h of off-hours (nights 20:00-07:00 and sat, sun all day, UTC) with no activity heartbeat",
    );
    expect(f.confidence).toBe("medium");
    expect(f.proposedAction).toBe("stop");
    expect(f.monthlyCostUsd).toBeCloseTo(3.825 * 730, 2);
    expect(f.owner).toEqual({ email: "maria@example.com", team: "risk" });
    expect(f.resource).toMatchObject({ type: "sagemaker:notebook-instance", id: "maria-exploration" });
    expect(f.evidence).toMatchObject({
      source: "off-hours-policy",
      offHours: { hoursRunningInOffHours: 59, maxOffHours: 12 },
      heartbeat: { hoursWithData: 0 },
      inServiceSince: "2026-11-20T18:00:00.000Z",
      inServiceHours: 66,
      hourlyUsd: 3.825,
    });
    expect(String(f.evidence.storageNote)).toMatch(/still billed/);
    expect(String(f.evidence.hint)).toMatch(/install-heartbeat/);
  });

  it("keeps the same finding id across runs", () => {
    const a = run([notebook()]).result.findings[0]!;
    const b = run([notebook()]).result.findings[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^idle-notebook-[0-9a-f]{12}$/);
  });

  it("is not fooled by a notebook started a few hours ago: no finding, nothing unknown", () => {
    const { result, requests } = run([notebook({ name: "dev-scratch", lastModifiedTime: hoursAgo(6) })]);
    expect(requests).toHaveLength(1);
    expect(result).toEqual({ findings: [], excluded: [], unknown: [] });
  });

  it("flags only past maxOffHours: exactly 12 h is fine, 12 h and a minute is not", () => {
    // Sun 19:00 → Mon 12:00 UTC: 5 h of Sunday + Mon 00:00-07:00 = 12 h.
    const exactly = new Date("2026-11-22T19:00:00Z");
    expect(run([notebook({ lastModifiedTime: exactly })]).result.findings).toEqual([]);
    const over = run([notebook({ lastModifiedTime: new Date(exactly.getTime() - 60_000) })]).result.findings;
    expect(over).toHaveLength(1);
    expect(over[0]!.confidence).toBe("low");
  });

  it("says medium from twice maxOffHours on", () => {
    // Sun 07:00 → Mon 12:00: 17 h of Sunday + 7 h of Monday = 24 h.
    const f = run([notebook({ lastModifiedTime: new Date("2026-11-22T07:00:00Z") })]).result.findings[0]!;
    expect(f.evidence).toMatchObject({ offHours: { hoursRunningInOffHours: 24 } });
    expect(f.confidence).toBe("medium");
    const g = run([notebook({ lastModifiedTime: new Date("2026-11-22T07:01:00Z") })]).result.findings[0]!;
    expect(g.confidence).toBe("low");
  });

  it("counts off-hours in the policy's time zone", () => {
    // Sun 19:00 UTC → Mon 12:00 UTC is Sun 11:00 → Mon 04:00 in Los Angeles: 13 h of Sunday
    // and Mon 00:00-04:00 = 17 h; in Tokyo (Mon 04:00 → Mon 21:00) only 00:00-07:00 and 20:00-21:00 = 4 h.
    const since = new Date("2026-11-22T19:00:00Z");
    const la = run([notebook({ lastModifiedTime: since })], undefined, { timezone: "America/Los_Angeles" });
    expect(la.result.findings[0]!.evidence).toMatchObject({ offHours: { hoursRunningInOffHours: 17 } });
    const tokyo = run([notebook({ lastModifiedTime: since })], undefined, { timezone: "Asia/Tokyo" });
    expect(tokyo.result.findings).toEqual([]);
  });

  it("honours custom weekends and no nights", () => {
    const p = { offHours: { nights: null, weekendDays: ["fri", "sat"] as Array<"fri" | "sat"> } };
    // Fri 18:00 → Mon 12:00 UTC: Friday 18:00-24:00 and all Saturday = 30 h.
    const f = run([notebook()], undefined, p).result.findings[0]!;
    expect(f.evidence).toMatchObject({ offHours: { hoursRunningInOffHours: 30 } });
    expect(String((f.evidence.offHours as { schedule: string }).schedule)).toBe("fri, sat all day, UTC");
  });

  it("leaves stopped and pending notebooks alone without asking for metrics", () => {
    const { result, requests } = run([
      notebook({ name: "old-experiments", status: "Stopped" }),
      notebook({ name: "starting", status: "Pending" }),
    ]);
    expect(requests).toEqual([]);
    expect(result).toEqual({ findings: [], excluded: [], unknown: [] });
  });
});

describe("idle-notebook with a heartbeat", () => {
  it("flags a day of idle beats with high confidence, whatever the off-hours", () => {
    const n = notebook({
      name: "omar-forgotten-gpu",
      instanceType: "ml.g5.xlarge",
      lastModifiedTime: daysAgo(6),
    });
    const { result } = run([n], idleDay);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.confidence).toBe("high");
    expect(f.reason).toBe("no Jupyter activity for 24 hours (heartbeat), InService since 2026-11-17T12:00Z");
    expect(f.evidence).toMatchObject({
      source: "heartbeat",
      idleHours: 24,
      heartbeat: {
        namespace: "MLJanitor/Notebooks",
        metric: "JupyterActivity",
        dimensions: { NotebookInstanceName: "omar-forgotten-gpu" },
        hoursWithData: 24,
        coverage: 1,
        maxValue: 0,
        windowEnd: "2026-11-23T12:00:00.000Z",
        windowStart: "2026-11-22T12:00:00.000Z",
      },
    });
    expect(f.monthlyCostUsd).toBeCloseTo(1.408 * 730, 2);
  });

  it("never flags a notebook whose heartbeat reported any activity in the window", () => {
    const busy = Array(24).fill(0);
    busy[20] = 1;
    const { result } = run([notebook()], beats(busy));
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([]);
  });

  it("treats an idle heartbeat on a notebook InService for less than idleHours as unknown", () => {
    const { result } = run([notebook({ lastModifiedTime: hoursAgo(23) })], beats(Array(23).fill(0)));
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      {
        resource: "maria-exploration",
        reason: "heartbeat idle, but InService for less than idleHours (24 h)",
      },
    ]);
    // InService exactly idleHours: judged.
    expect(run([notebook({ lastModifiedTime: hoursAgo(24) })], idleDay).result.findings).toHaveLength(1);
  });

  it("trusts an idle heartbeat from 75% coverage, else falls back to the policy", () => {
    const enough = run([notebook()], beats(Array(18).fill(0))).result.findings[0]!;
    expect(enough.evidence).toMatchObject({ source: "heartbeat", heartbeat: { coverage: 0.75 } });
    const patchy = run([notebook()], beats(Array(17).fill(0))).result.findings[0]!;
    expect(patchy.evidence).toMatchObject({ source: "off-hours-policy", heartbeat: { hoursWithData: 17 } });
    expect(patchy.reason).toMatch(/with only a patchy activity heartbeat \(17 of 24 hours\)$/);
  });

  it("respects idleHours: the window and the boundary move with it", () => {
    const n = notebook({ lastModifiedTime: hoursAgo(48) });
    const { requests, result } = run([n], beats(Array(48).fill(0)), { idleHours: 48 });
    expect(requests[0]!.end.getTime() - requests[0]!.start.getTime()).toBe(48 * HOUR);
    expect(result.findings[0]!.evidence).toMatchObject({ source: "heartbeat", idleHours: 48 });
  });

  it("rounds the window end up to the heartbeat's 5-minute step, so the latest beat counts", () => {
    const ctx = { now: new Date(NOW.getTime() + 61_000) };
    const { requests } = run([notebook()], undefined, {}, ctx);
    expect(requests[0]!.end.toISOString()).toBe("2026-11-23T12:05:00.000Z");
  });
});

describe("idle-notebook exclusions and prices", () => {
  it("excludes the protect tag and policy exclusions, says why, and asks no metrics for them", () => {
    const { result, requests } = run(
      [
        notebook({ name: "protected", tags: { "janitor:protect": "true" } }),
        notebook({ name: "team-x", tags: { team: "x" } }),
        notebook({ name: "scratch-1" }),
        notebook({ name: "judged" }),
      ],
      undefined,
      {},
      { exclude: { tags: { team: "x" }, namePatterns: ["scratch-*"] } },
    );
    expect(requests.map((r) => r.dimensions.NotebookInstanceName)).toEqual(["judged"]);
    expect(result.excluded).toEqual([
      { resource: "protected", reason: "protect tag janitor:protect" },
      { resource: "team-x", reason: "excluded by tag team=x" },
      { resource: "scratch-1", reason: "excluded by name pattern scratch-*" },
    ]);
    expect(result.findings.map((f) => f.resource.id)).toEqual(["judged"]);
  });

  it("prices the storage kept after a stop when the volume size is known", () => {
    const f = run([notebook({ volumeSizeInGB: 100 })]).result.findings[0]!;
    expect(f.evidence).toMatchObject({ volumeSizeInGB: 100, storageMonthlyUsdAfterStop: 10 });
  });

  it("still flags an instance type without a list price, at cost 0, naming the type", () => {
    const f = run([notebook({ instanceType: "ml.x99.huge" })]).result.findings[0]!;
    expect(f.monthlyCostUsd).toBe(0);
    expect(f.evidence).toMatchObject({ unpricedInstanceType: "ml.x99.huge" });
  });

  it("uses LastModifiedTime as InService-since: a restart resets the clock", () => {
    const restarted = notebook({ creationTime: daysAgo(200), lastModifiedTime: hoursAgo(2) });
    expect(run([restarted]).result.findings).toEqual([]);
    expect(LAST_FRIDAY_18.getUTCDay()).toBe(5);
  });
});

describe("idle-notebook re-check wording", () => {
  const ctx = context(defaults, { policy: "idle-notebooks" });
  const say = (notebooks: NotebookInfo[], answer: (r: MetricRequest) => number[] | undefined, id: string) =>
    idleNotebook.describeActivity!(emptyInventory({ notebooks }), metricsFrom(answer), ctx, id);

  it("says what cleared a notebook: activity, a stop, a restart, or that it is gone", () => {
    const active = Array(24).fill(0);
    active[23] = 1;
    expect(say([notebook()], () => active, "maria-exploration")).toMatch(
      /^Jupyter activity in the hour from .*Z \(heartbeat\): the notebook is in use$/,
    );
    expect(say([notebook({ status: "Stopped" })], () => undefined, "maria-exploration")).toBe(
      "notebook instance maria-exploration is Stopped",
    );
    expect(say([notebook({ lastModifiedTime: hoursAgo(2) })], () => undefined, "maria-exploration")).toBe(
      "InService since 2026-11-23T10:00Z through 0 h of off-hours, within the 12 h limit",
    );
    expect(say([], () => undefined, "maria-exploration")).toBe(
      "notebook instance maria-exploration no longer exists",
    );
  });
});
