/**
 * The owners' side of the demo: signed clicks on the real notices, through the real
 * interactions handler — one approve, one snooze, one keep, one finding used again during
 * the grace period (spared by the re-check), one restore; then an S3 duplicate copy deleted on
 * approval and restored from its kept copy; the rest get no answer.
 */
import { interactions } from "../../../functions/interactions.ts";
import { AwsClients } from "../../aws/clients.ts";
import { objectState } from "../../aws/s3-actions.ts";
import type { LocalRuntime } from "../../local/runtime.ts";
import { type Click, interactionPayload, signedInteractionEvent } from "../../local/slack/clicks.ts";
import type { LocalSlackUser } from "../../local/slack/server.ts";
import type { JanitorStore } from "../../store/types.ts";
import type { WorkflowStore } from "../../store/workflow-types.ts";
import type { Progress } from "../progress.ts";

export interface DemoWorld {
  runtime: LocalRuntime;
  store: JanitorStore & WorkflowStore;
  people: LocalSlackUser[];
  progress: Progress;
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function pendingFor(world: DemoWorld, resourceId: string) {
  const all = await world.store.listFindings();
  const stored = all.find((s) => s.finding.resource.id === resourceId && s.decisionId);
  if (!stored?.decisionId) return undefined;
  const decisionId = stored.decisionId;
  const ready = await until(async () =>
    Boolean((await world.store.getPendingDecision(decisionId))?.messageTs),
  );
  if (!ready) return undefined;
  const pending = await world.store.getPendingDecision(decisionId);
  return pending ? { stored, pending } : undefined;
}

async function click(world: DemoWorld, resourceId: string, as: string, make: (id: string) => Click) {
  const found = await pendingFor(world, resourceId);
  if (!found) {
    world.progress.info(`(no open notice for ${resourceId}: step skipped)`);
    return undefined;
  }
  const { stored, pending } = found;
  const email = stored.finding.owner.email;
  const person = world.people.find((p) => (as === "owner" ? p.email === email : p.name === as));
  if (!person) return undefined;
  const payload = interactionPayload(make(pending.decisionId), {
    userId: person.id,
    userName: person.name,
    ...(pending.channel ? { channelId: pending.channel } : {}),
    ...(pending.messageTs ? { messageTs: pending.messageTs } : {}),
  });
  const res = await interactions(
    signedInteractionEvent({ payload, signingSecret: world.runtime.workflow!.signingSecret }),
  );
  return { person, stored, res };
}

function statusIs(world: DemoWorld, findingId: string, status: string): Promise<boolean> {
  return until(async () => (await world.store.getFinding(findingId))?.status === status);
}

export async function playClicks(world: DemoWorld): Promise<void> {
  const p = world.progress;
  const report = (happened: boolean, what: string) =>
    happened ? p.done(what) : p.info(`expected but not seen within 30 s: ${what}`);

  const approve = await click(world, "fraud-scorer-v1", "owner", (id) => ({
    kind: "approve",
    decisionId: id,
  }));
  if (approve) {
    p.step(`${approve.person.name} clicks "Approve now" on fraud-scorer-v1`);
    report(
      await statusIs(world, approve.stored.finding.id, "acted"),
      "re-checked on fresh data (still idle), undo record saved, endpoint deleted",
    );
  }

  const snooze = await click(world, "vision-idle-zeros", "owner", (id) => ({
    kind: "snooze",
    decisionId: id,
    days: 7,
  }));
  if (snooze) {
    p.step(`${snooze.person.name} snoozes vision-idle-zeros for 7 days`);
    report(
      await statusIs(world, snooze.stored.finding.id, "snoozed"),
      "snoozed: the nightly scan skips it until then",
    );
  }

  const keepTarget = "llm-finetune-overnight";
  const keep = await click(world, keepTarget, "owner", (id) => ({ kind: "keep", decisionId: id }));
  if (keep) {
    const reason = "final run before the NeurIPS deadline; checkpoints every hour";
    await click(world, keepTarget, "owner", (id) => ({ kind: "keep_reason", decisionId: id, reason }));
    p.step(`${keep.person.name} clicks "Keep" on ${keepTarget} and gives a reason: "${reason}"`);
    report(
      await statusIs(world, keep.stored.finding.id, "kept"),
      "kept: an exemption with who and why, in the audit log",
    );
  }

  const spared = await pendingFor(world, "churn-predictor-legacy");
  if (spared) {
    world.runtime.sandbox.scenario.metrics.push({
      namespace: "AWS/SageMaker",
      metricName: "Invocations",
      dimensions: { EndpointName: "churn-predictor-legacy", VariantName: "AllTraffic" },
      points: [{ t: Date.now() - 3_600_000, v: 42 }],
    });
    p.step("churn-predictor-legacy gets 42 invocations during its grace period; then its owner approves");
    await click(world, "churn-predictor-legacy", "owner", (id) => ({ kind: "approve", decisionId: id }));
    report(
      await statusIs(world, spared.stored.finding.id, "open"),
      "the re-check saw the traffic: action cancelled, and the thread says why",
    );
  }

  if (approve) {
    const restore = await click(world, "fraud-scorer-v1", "owner", (id) => ({
      kind: "restore",
      decisionId: id,
    }));
    if (restore) {
      p.step(`${restore.person.name} clicks "Restore endpoint" in the thread`);
      const back = world.runtime.sandbox.scenario.sagemaker.endpoints.some(
        (e) => e.name === "fraud-scorer-v1",
      );
      p.done(
        back
          ? "fraud-scorer-v1 recreated from its saved config, with its tags"
          : "restore did not bring it back",
      );
    }
  }

  await s3DuplicateAndRestore(world, report);
}

/** The fraud-scorer weights stored three times: the copy in ml-experiments goes, then comes back. */
const DUPLICATE_GROUP = "s3://ml-models-prod/registry/fraud-scorer/v1/model.tar.gz";
const EXTRA_COPY = { bucket: "ml-experiments", key: "experiments/run-17/model.tar.gz" };

async function s3DuplicateAndRestore(
  world: DemoWorld,
  report: (happened: boolean, what: string) => void,
): Promise<void> {
  const p = world.progress;
  const approve = await click(world, DUPLICATE_GROUP, "owner", (id) => ({ kind: "approve", decisionId: id }));
  if (!approve) return;
  p.step(
    `${approve.person.name} approves deleting the extra copy of the fraud-scorer weights (${EXTRA_COPY.bucket})`,
  );
  report(
    await statusIs(world, approve.stored.finding.id, "acted"),
    "re-checked (same size and ETag, not modified since the scan), undo record saved, the copy deleted; the two copies in the production bucket stay",
  );
  const clients = new AwsClients({ region: world.runtime.sandbox.scenario.region });
  try {
    const gone = (await objectState(clients.s3, EXTRA_COPY.bucket, EXTRA_COPY.key)) === undefined;
    const restore = await click(world, DUPLICATE_GROUP, "owner", (id) => ({
      kind: "restore",
      decisionId: id,
    }));
    if (!restore) return;
    p.step(`${restore.person.name} clicks "Restore" in the thread`);
    const back = await until(
      async () => (await objectState(clients.s3, EXTRA_COPY.bucket, EXTRA_COPY.key)) !== undefined,
    );
    p.done(
      gone && back
        ? `s3://${EXTRA_COPY.bucket}/${EXTRA_COPY.key} copied back from the kept copy (proven identical)`
        : "restore did not bring the copy back",
    );
  } finally {
    clients.destroy();
  }
}
