import { createHash } from "node:crypto";
import type { BudgetsClient } from "@aws-sdk/client-budgets";
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { describeMonthlyCostBudgets } from "../aws/budgets.ts";
import { type AwsCostAnomaly, costAnomalies, costForecast } from "../aws/cost-explorer.ts";
import type { Inventory } from "../detectors/inventory.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import { buildBudgetAlert } from "../slack/blocks/build-budget-alert.ts";
import { buildCostAnomaly, buildCostAnomalyUpdate } from "../slack/blocks/build-cost-anomaly.ts";
import { consoleUrl } from "../slack/blocks/console-url.ts";
import type { SlackApi } from "../slack/client.ts";
import type { CostStore } from "../store/cost-types.ts";
import type { Finding, ResourceType } from "../types.ts";
import { anomalyDrivers } from "./anomaly-drivers.ts";
import { type BudgetConfig, scopeKey, scopeSeries, scopeTagKeys } from "./budget-scope.ts";
import { crossedThresholds } from "./budget-thresholds.ts";
import { budgetsFromAws } from "./budgets.ts";
import { addDays, firstOfNextMonth, monthOf, todayUtc } from "./dates.ts";
import { DEFAULT_DETECTOR_PARAMS } from "./detect-anomaly.ts";
import type { Driver, DriverResource } from "./drill-down.ts";
import { type Episode, findEpisode } from "./find-episode.ts";
import { monthToDate, ownMonthForecast } from "./month-forecast.ts";
import { readSpend, seriesOf, TOTAL } from "./read-spend.ts";
import { describeTightening, tighteningFor } from "./tightening.ts";
import type { AnomalyVerdict, DetectorParams } from "./types.ts";

export interface CostWatchDeps {
  config: JanitorConfig;
  costExplorer: CostExplorerClient;
  /** Only when `costWatch.awsBudgets` is on. */
  budgets?: BudgetsClient;
  accountId: string;
  store: CostStore;
  slack: SlackApi;
  /** The scan's inventory, loaded only when an anomaly needs naming its resources. */
  inventory: () => Promise<Partial<Inventory>>;
  now: Date;
}

export interface AnomalyReport {
  id: string;
  series: string;
  date: string;
  firstDate: string;
  verdict: AnomalyVerdict;
  /** Excess over the baseline since the anomaly began. */
  impactUsd: number;
  drivers: Driver[];
  /** new: alerted now; continued: a thread update; seen: already told today (a rerun). */
  outcome: "new" | "continued" | "seen";
  awsAnomalyId?: string;
  /** "aws": found by AWS Cost Anomaly Detection only (its figures, no z-score of ours). */
  source?: "aws";
  /** Resource-level data was asked for but unavailable: the alert says so. */
  resourceNote?: string;
}

export interface BudgetAlertReport {
  budget: string;
  scope: string;
  percent: number;
  basis: "actual" | "forecast";
  actualUsd: number;
  forecastUsd: number;
  channels: string[];
  mentions: string[];
  /** What the alert says was tightened for the scope until the month ends. */
  tightening?: string;
}

export interface CostWatchReport {
  date: string;
  /** Billed Cost Explorer requests ($0.01 each), by operation. */
  requests: {
    GetCostAndUsage: number;
    GetCostAndUsageWithResources: number;
    GetCostForecast: number;
    GetAnomalies: number;
  };
  fetchedFrom: string;
  anomalies: AnomalyReport[];
  budgetAlerts: BudgetAlertReport[];
  messages: number;
}

/** A day's anomaly is "the same" as an open one when that one was seen within this many days. */
const CONTINUES_WITHIN_DAYS = 2;

export function anomalyId(series: string, firstDate: string): string {
  return createHash("sha256").update(`${series}#${firstDate}`).digest("hex").slice(0, 12);
}

/**
 * The daily cost watch: read spend (only days not yet final), judge yesterday in every series,
 * alert once per anomaly (naming the usage, resources and owners behind it; later days go to
 * the alert's thread), and announce each budget threshold once per scope and month.
 */
export async function runCostWatch(deps: CostWatchDeps): Promise<CostWatchReport> {
  const { config, store, slack } = deps;
  const cw = config.costWatch;
  const today = todayUtc(deps.now);
  const date = addDays(today, -1);
  const requests = {
    GetCostAndUsage: 0,
    GetCostAndUsageWithResources: 0,
    GetCostForecast: 0,
    GetAnomalies: 0,
  };
  let messages = 0;

  const spend = await readSpend(deps.costExplorer, store, today, {
    tags: cw.tags,
    refetchDays: cw.refetchDays,
    historyDays: cw.historyDays,
  });
  requests.GetCostAndUsage += spend.requests;
  const series = seriesOf(spend.days);
  const acks = await store.acknowledgements();
  const params: DetectorParams = {
    ...DEFAULT_DETECTOR_PARAMS,
    minImpactUsd: cw.minImpactUsd,
    minPercent: cw.minPercent / 100,
    minZ: cw.minZ,
  };

  const episodes = new Map<string, Episode>();
  for (const [name, points] of series) {
    const episode = findEpisode(points, date, params, acks.get(name));
    if (episode) episodes.set(name, episode);
  }
  // One alert per anomaly: the services that rose carry it (their drill-down names the tags);
  // a rise spread too thin to show in any service falls back to tags, then the total.
  const pick = (prefix: string) => [...episodes].filter(([n]) => n.startsWith(prefix));
  let chosen = pick("service:");
  if (chosen.length === 0) chosen = pick("tag:");
  if (chosen.length === 0) chosen = pick(TOTAL);

  const aws = cw.awsAnomalyDetection
    ? await costAnomalies(deps.costExplorer, { start: addDays(date, -CONTINUES_WITHIN_DAYS), end: today })
    : { anomalies: [], requests: 0 };
  requests.GetAnomalies += aws.requests;

  const anomalies: AnomalyReport[] = [];
  /** AWS anomalies one of ours carries (their alert says so): not alerted again on their own. */
  const matched = new Set<string>();
  // Loaded once, and only when an alert needs its resources named.
  let inventory: Promise<Partial<Inventory>> | undefined;
  const loadInventory = () => {
    inventory ??= deps.inventory();
    return inventory;
  };
  /** A new anomaly: recorded once (conditional write), drilled into, posted to the team and the owners. */
  async function raise(a: {
    id: string;
    name: string;
    service: string | undefined;
    firstDate: string;
    verdict: AnomalyVerdict;
    impactUsd: number;
    awsAnomalyId?: string;
    awsOnly?: boolean;
  }): Promise<AnomalyReport | undefined> {
    const { id, name, service, verdict } = a;
    const record = {
      id,
      series: name,
      firstDate: a.firstDate,
      lastDate: date,
      impactUsd: a.impactUsd,
      levelUsd: verdict.actualUsd,
      ...(a.awsAnomalyId ? { awsAnomalyId: a.awsAnomalyId } : {}),
    };
    if (!(await store.saveAnomaly(record, true))) return undefined; // another run has it
    let drivers: Driver[] = [];
    let resourceNote: string | undefined;
    if (service) {
      const out = await anomalyDrivers(deps.costExplorer, {
        service,
        date,
        firstDate: a.firstDate,
        teamTag: config.tags.team,
        ownerTag: config.tags.owner,
        resourceLevel: cw.resourceLevel,
        inventory: loadInventory,
      });
      requests.GetCostAndUsage += out.requests.GetCostAndUsage;
      requests.GetCostAndUsageWithResources += out.requests.GetCostAndUsageWithResources;
      drivers = out.drivers;
      resourceNote = out.resourceNote;
    }
    const owners = [
      ...new Set(drivers.flatMap((d) => d.resources.flatMap((r) => (r.owner ? [r.owner] : [])))),
    ];
    const ownerMentions: Record<string, string> = {};
    const ownerIds: string[] = [];
    for (const email of owners) {
      const userId = await lookup(slack, email);
      if (userId) {
        ownerMentions[email] = `<@${userId}>`;
        ownerIds.push(userId);
      }
    }
    const message = buildCostAnomaly({
      id,
      subject: label(name),
      firstDate: a.firstDate,
      date,
      actualUsd: verdict.actualUsd,
      expectedUsd: verdict.expectedUsd,
      impactSoFarUsd: a.impactUsd,
      drivers,
      ownerMentions,
      ...(a.awsAnomalyId ? { awsAnomalyId: a.awsAnomalyId } : {}),
      ...(a.awsOnly ? { awsOnly: true } : {}),
      ...(resourceNote ? { resourceNote } : {}),
      ...relatedResourceLink(drivers, config.regions[0] ?? "us-east-1"),
    });
    const team =
      drivers.flatMap((d) => d.tags[config.tags.team] ?? [])[0] ?? teamOfSeries(name, config.tags.team);
    const channel = (team && config.slack.teamChannels[team]) || config.slack.defaultChannel;
    const posted = await slack.postMessage({ channel, ...message });
    messages++;
    await store.saveAnomaly(
      { ...record, channel: posted.channel, ts: posted.ts, ownerUserIds: ownerIds },
      false,
    );
    for (const userId of ownerIds) {
      const dm = await slack.openDirectMessage(userId);
      await slack.postMessage({ channel: dm.channel, ...message });
      messages++;
    }
    return {
      id,
      series: name,
      date,
      firstDate: a.firstDate,
      verdict,
      impactUsd: a.impactUsd,
      drivers,
      outcome: "new",
      ...(a.awsAnomalyId ? { awsAnomalyId: a.awsAnomalyId } : {}),
      ...(a.awsOnly ? { source: "aws" as const } : {}),
      ...(resourceNote ? { resourceNote } : {}),
    };
  }

  for (const [name, episode] of chosen) {
    const verdict = episode.latest;
    const service = name.startsWith("service:") ? name.slice("service:".length) : undefined;
    const awsMatch = aws.anomalies.find((a) => service && a.services.includes(service));
    if (awsMatch) matched.add(awsMatch.id);
    const id = anomalyId(name, episode.firstDate);
    const known = await store.anomalyById(id);
    const open = known ?? (await store.openAnomaly(name));
    if (open && open.lastDate >= addDays(date, -CONTINUES_WITHIN_DAYS)) {
      if (open.lastDate >= date) {
        anomalies.push({
          id: open.id,
          series: name,
          date,
          firstDate: open.firstDate,
          verdict,
          impactUsd: open.impactUsd,
          drivers: [],
          outcome: "seen",
        });
        continue;
      }
      const updated = { ...open, lastDate: date, impactUsd: episode.impactUsd, levelUsd: verdict.actualUsd };
      await store.saveAnomaly(updated, false);
      if (open.channel && open.ts) {
        await slack.postMessage({
          channel: open.channel,
          threadTs: open.ts,
          ...buildCostAnomalyUpdate({ ...verdict, impactSoFarUsd: updated.impactUsd }),
        });
        messages++;
      }
      anomalies.push({
        id: open.id,
        series: name,
        date,
        firstDate: open.firstDate,
        verdict,
        impactUsd: updated.impactUsd,
        drivers: [],
        outcome: "continued",
      });
      continue;
    }

    const report = await raise({
      id,
      name,
      service,
      firstDate: episode.firstDate,
      verdict,
      impactUsd: episode.impactUsd,
      ...(awsMatch ? { awsAnomalyId: awsMatch.id } : {}),
    });
    if (report) anomalies.push(report);
  }

  // AWS Cost Anomaly Detection's anomalies that none of ours matched: alerted too, once each,
  // with AWS's own figures (its totals over the anomaly's days, shown per day); a later day of
  // the same AWS anomaly goes to the alert's thread.
  for (const a of aws.anomalies) {
    if (!a.id || matched.has(a.id)) continue;
    const service = a.services[0];
    const name = service ? `service:${service}` : TOTAL;
    const id = anomalyId(`aws:${a.id}`, a.startDate);
    const known = await store.anomalyById(id);
    if (known) {
      // Told already today, or AWS says it ended before yesterday: nothing new to say.
      if (known.lastDate >= date || (a.endDate ?? date) < date) continue;
      const verdict = awsVerdict(a, date);
      const updated = { ...known, lastDate: date, impactUsd: a.totalImpactUsd, levelUsd: verdict.actualUsd };
      await store.saveAnomaly(updated, false);
      if (known.channel && known.ts) {
        await slack.postMessage({
          channel: known.channel,
          threadTs: known.ts,
          ...buildCostAnomalyUpdate({ ...verdict, impactSoFarUsd: a.totalImpactUsd }),
        });
        messages++;
      }
      anomalies.push({
        id,
        series: name,
        date,
        firstDate: known.firstDate,
        verdict,
        impactUsd: a.totalImpactUsd,
        drivers: [],
        outcome: "continued",
        awsAnomalyId: a.id,
        source: "aws",
      });
      continue;
    }
    const report = await raise({
      id,
      name,
      service,
      firstDate: a.startDate,
      verdict: awsVerdict(a, date),
      impactUsd: a.totalImpactUsd,
      awsAnomalyId: a.id,
      awsOnly: true,
    });
    if (report) anomalies.push(report);
  }

  // Budgets: the config's, and AWS Budgets' where asked.
  let budgets: BudgetConfig[] = config.budgets;
  if (cw.awsBudgets && deps.budgets) {
    const fromAws = await describeMonthlyCostBudgets(deps.budgets, deps.accountId);
    budgets = [...budgets, ...budgetsFromAws(fromAws, budgets, scopeTagKeys(config))];
  }
  const budgetAlerts: BudgetAlertReport[] = [];
  const month = monthOf(today);
  for (const budget of budgets) {
    const name = scopeSeries(budget.scope, scopeTagKeys(config));
    const points = series.get(name) ?? [];
    const actualUsd = monthToDate(points, today);
    let forecastUsd = ownMonthForecast(points, today);
    let forecastSource: "cost-explorer" | "own-model" = "own-model";
    if (budget.forecast) {
      const rest = await costForecast(deps.costExplorer, {
        start: today,
        end: firstOfNextMonth(today),
        ...forecastFilter(budget, scopeTagKeys(config)),
      });
      requests.GetCostForecast++;
      if (rest !== undefined) {
        forecastUsd = actualUsd + rest;
        forecastSource = "cost-explorer";
      }
    }
    // Tightening first: a run that stops between the two writes still announces it on rerun.
    const tightened = await tighteningFor(store, budget, { actualUsd, month, now: deps.now });
    const fresh = [];
    for (const c of crossedThresholds(budget, { actualUsd, forecastUsd })) {
      if (await store.thresholdFired(scopeKey(budget.scope), month, c.percent, c.basis)) fresh.push(c);
    }
    // Several steps at once (a first run mid-month): say the highest; all are recorded.
    const top = fresh.at(-1);
    if (!top) continue;
    const team = "team" in budget.scope ? budget.scope.team : undefined;
    const base = (team && config.slack.teamChannels[team]) || config.slack.defaultChannel;
    const channels = [base, ...top.notify.filter((n) => n.startsWith("#") || /^C[A-Z0-9]+$/.test(n))];
    const mentions: string[] = [];
    for (const n of top.notify) {
      if (n.includes("@") && !n.startsWith("<")) {
        const userId = await lookup(slack, n);
        mentions.push(userId ? `<@${userId}>` : n);
      } else if (n.startsWith("<")) mentions.push(n);
    }
    const tightening =
      tightened && top.basis === "actual" && top.percent >= tightened.percent
        ? describeTightening(budget, config, month)
        : undefined;
    const message = buildBudgetAlert({
      budgetName: budget.name,
      scopeLabel: scopeLabel(budget),
      month,
      percent: top.percent,
      basis: top.basis,
      budgetUsd: budget.monthlyUsd,
      actualUsd,
      forecastUsd,
      forecastSource,
      mentions,
      ...(tightening ? { tightening } : {}),
    });
    for (const channel of [...new Set(channels)]) {
      await slack.postMessage({ channel, ...message });
      messages++;
    }
    budgetAlerts.push({
      budget: budget.name,
      scope: scopeKey(budget.scope),
      percent: top.percent,
      basis: top.basis,
      actualUsd,
      forecastUsd,
      channels: [...new Set(channels)],
      mentions,
      ...(tightening ? { tightening } : {}),
    });
  }

  return { date, requests, fetchedFrom: spend.fetchedFrom, anomalies, budgetAlerts, messages };
}

async function lookup(slack: SlackApi, email: string): Promise<string | undefined> {
  try {
    const user = await slack.lookupUserByEmail(email);
    return user.deleted ? undefined : user.id;
  } catch {
    return undefined; // not a Slack user: the message still names the email
  }
}

function forecastFilter(budget: BudgetConfig, tags: { team: string; project: string }) {
  if ("team" in budget.scope) return { filter: { Tags: { Key: tags.team, Values: [budget.scope.team] } } };
  if ("project" in budget.scope)
    return { filter: { Tags: { Key: tags.project, Values: [budget.scope.project] } } };
  return {};
}

function label(series: string): string {
  if (series.startsWith("service:")) return series.slice("service:".length);
  if (series.startsWith("tag:")) return series.slice("tag:".length).replace("$", " ");
  return "the account's total";
}

function teamOfSeries(series: string, teamTag: string): string | undefined {
  const prefix = `tag:${teamTag}$`;
  return series.startsWith(prefix) ? series.slice(prefix.length) : undefined;
}

function scopeLabel(budget: BudgetConfig): string {
  const s = budget.scope;
  if ("team" in s) return `Team ${s.team}`;
  if ("project" in s) return `Project ${s.project}`;
  return "The account";
}

const CONSOLE_TYPES: Record<DriverResource["kind"], ResourceType> = {
  "training-job": "sagemaker:training-job",
  "processing-job": "sagemaker:processing-job",
  endpoint: "sagemaker:endpoint",
  notebook: "sagemaker:notebook-instance",
  "ec2-instance": "ec2:instance",
};

/** The alert's "Open finding" button: the console page of the top driver's first resource. */
function relatedResourceLink(drivers: readonly Driver[], region: string): { findingUrl?: string } {
  const top = drivers.find((d) => d.resources.length > 0)?.resources[0];
  if (!top) return {};
  const resource = { type: CONSOLE_TYPES[top.kind], id: top.name, arn: "", region, tags: {} };
  return { findingUrl: consoleUrl({ resource } as Finding) };
}

/**
 * An AWS-only anomaly as a verdict: AWS reports totals over the anomaly's days, shown here per
 * day; it gives no robust z-score (NaN).
 */
function awsVerdict(a: AwsCostAnomaly, date: string): AnomalyVerdict {
  const end = a.endDate && a.endDate < date ? a.endDate : date;
  const days = Math.max(1, Math.round((Date.parse(end) - Date.parse(a.startDate)) / 86_400_000) + 1);
  const expected = (a.expectedUsd ?? 0) / days;
  const actual = (a.actualUsd ?? (a.expectedUsd ?? 0) + a.totalImpactUsd) / days;
  const impact = actual - expected;
  return {
    date,
    kind: expected > 0 ? "spike" : "new-series",
    actualUsd: Math.round(actual * 100) / 100,
    expectedUsd: Math.round(expected * 100) / 100,
    impactUsd: Math.round(impact * 100) / 100,
    percent: expected > 0 ? impact / expected : Number.POSITIVE_INFINITY,
    z: Number.NaN,
  };
}
