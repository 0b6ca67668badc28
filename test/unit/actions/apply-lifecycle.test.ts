import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type LifecycleRule as SdkRule,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { applyLifecycle } from "../../../shared/actions/apply-lifecycle.ts";
import { getAction, getRestore } from "../../../shared/actions/registry.ts";
import { restoreLifecycle } from "../../../shared/actions/restore-lifecycle.ts";
import { InvalidStateError, InvalidUndoRecordError } from "../../../shared/errors.ts";
import { LifecycleMergeError, type LifecycleRule } from "../../../shared/s3/lifecycle.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const s3 = mockClient(S3Client);
const BUCKET = "ml-experiments";
const ARN = `arn:aws:s3:::${BUCKET}`;

const theirs: LifecycleRule = {
  ID: "abort-uploads",
  Status: "Enabled",
  Filter: {},
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
};
const ours: LifecycleRule[] = [
  {
    ID: "janitor-transition-experiments",
    Status: "Enabled",
    Filter: { Prefix: "experiments/" },
    Transitions: [
      { Days: 30, StorageClass: "STANDARD_IA" },
      { Days: 90, StorageClass: "GLACIER_IR" },
    ],
  },
  { ID: "janitor-expire-tmp-7d", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } },
];

function findingWith(currentRules: LifecycleRule[]) {
  const f = findingFor("s3:bucket", BUCKET, ARN, {
    evidence: {
      currentRules,
      proposedRules: ours,
      proposedConfiguration: {
        Rules: [...currentRules, ...ours],
        TransitionDefaultMinimumObjectSize: "all_storage_classes_128K",
      },
    },
  });
  return { ...f, proposedAction: "configure" as const };
}

/** The bucket's lifecycle as S3 holds it: GET reads it, PUT replaces it, DELETE removes it. */
let stored: { Rules: unknown[]; TransitionDefaultMinimumObjectSize?: string } | undefined;
let log: string[];

beforeEach(() => {
  s3.reset();
  stored = undefined;
  log = [];
  s3.on(GetBucketLifecycleConfigurationCommand).callsFake(() => {
    if (!stored) throw awsError("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist");
    return structuredClone(stored) as { Rules: SdkRule[] };
  });
  s3.on(PutBucketLifecycleConfigurationCommand).callsFake((input) => {
    log.push("PutBucketLifecycleConfiguration");
    stored = {
      Rules: structuredClone(input.LifecycleConfiguration.Rules),
      TransitionDefaultMinimumObjectSize: input.TransitionDefaultMinimumObjectSize,
    };
    return {};
  });
  s3.on(DeleteBucketLifecycleCommand).callsFake(() => {
    log.push("DeleteBucketLifecycle");
    stored = undefined;
    return {};
  });
});

describe("apply-lifecycle", () => {
  it("is the configure action on S3 buckets, with its restore", () => {
    expect(getAction("s3:bucket", "configure")).toBe(applyLifecycle);
    expect(getRestore("s3:bucket")).toBe(restoreLifecycle);
  });

  it("saves 'none' as the previous configuration, then PUTs exactly the proposed one", async () => {
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await applyLifecycle.run(newClients(), findingWith([]), saveUndo);

    expect(log).toEqual(["saveUndo", "PutBucketLifecycleConfiguration"]);
    expect(s3).toHaveReceivedCommandWith(GetBucketLifecycleConfigurationCommand, { Bucket: BUCKET });
    expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      LifecycleConfiguration: { Rules: ours },
      TransitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    });
    expect(saved).toEqual([
      {
        resourceArn: ARN,
        resourceType: "s3:bucket",
        action: "configure",
        data: {
          region: "us-east-1",
          bucket: BUCKET,
          previous: "none",
          applied: { Rules: ours, TransitionDefaultMinimumObjectSize: "all_storage_classes_128K" },
        },
      },
    ]);
    expect(outcome).toMatchObject({
      result: "done",
      detail: `applied the lifecycle configuration to ${BUCKET}: added janitor-transition-experiments, janitor-expire-tmp-7d`,
    });
  });

  it("keeps the owner's rules first and saves them as the previous configuration", async () => {
    stored = { Rules: [theirs], TransitionDefaultMinimumObjectSize: "varies_by_storage_class" };
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await applyLifecycle.run(newClients(), findingWith([theirs]), saveUndo);

    expect(stored).toEqual({
      Rules: [theirs, ...ours],
      TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
    });
    expect(saved[0]?.data.previous).toEqual({
      Rules: [theirs],
      TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
    });
    expect(outcome.detail).toMatch(/kept its 1 existing rule\(s\)$/);
  });

  it("does nothing the second time: the rules are already there and the first undo record stays", async () => {
    const first = undoRecorder(log);
    await applyLifecycle.run(newClients(), findingWith([]), first.saveUndo);
    const second = undoRecorder(log);

    const outcome = await applyLifecycle.run(newClients(), findingWith([]), second.saveUndo);

    expect(outcome).toMatchObject({ result: "already", fromState: "configured" });
    expect(second.saved).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(PutBucketLifecycleConfigurationCommand, 1);
  });

  it("refuses when someone changed the lifecycle since the scan, and sends nothing", async () => {
    stored = { Rules: [theirs] };
    const { saved, saveUndo } = undoRecorder(log);

    const run = applyLifecycle.run(newClients(), findingWith([]), saveUndo);

    await expect(run).rejects.toBeInstanceOf(InvalidStateError);
    await expect(applyLifecycle.run(newClients(), findingWith([]), saveUndo)).rejects.toThrow(
      `the lifecycle configuration of ${BUCKET} changed since the scan (0 rule(s) then, 1 now): nothing was applied`,
    );
    expect(saved).toEqual([]);
    expect(s3).not.toHaveReceivedCommand(PutBucketLifecycleConfigurationCommand);
  });

  it("refuses a merge past S3's 1,000 rules", async () => {
    const many = Array.from({ length: 999 }, (_, i): LifecycleRule => ({ ...theirs, ID: `r${i}` }));
    stored = { Rules: many };
    const { saved, saveUndo } = undoRecorder(log);

    await expect(applyLifecycle.run(newClients(), findingWith(many), saveUndo)).rejects.toThrow(
      LifecycleMergeError,
    );
    expect(saved).toEqual([]);
    expect(s3).not.toHaveReceivedCommand(PutBucketLifecycleConfigurationCommand);
  });

  it("refuses a finding without a proposed configuration", async () => {
    const bare = findingFor("s3:bucket", BUCKET, ARN);
    await expect(applyLifecycle.run(newClients(), bare, undoRecorder().saveUndo)).rejects.toBeInstanceOf(
      InvalidStateError,
    );
  });
});

describe("restore-lifecycle", () => {
  async function applied(previous: LifecycleRule[] | undefined): Promise<UndoRecord> {
    stored = previous ? { Rules: previous } : undefined;
    const { saved, saveUndo } = undoRecorder();
    await applyLifecycle.run(newClients(), findingWith(previous ?? []), saveUndo);
    return { ...saved[0]!, findingId: "f1", savedAt: "2026-11-23T12:00:00Z" };
  }

  it("deletes the lifecycle when the bucket had none, and is idempotent", async () => {
    const undo = await applied(undefined);

    const first = await restoreLifecycle.run(newClients(), undo);
    const second = await restoreLifecycle.run(newClients(), undo);

    expect(s3).toHaveReceivedCommandWith(DeleteBucketLifecycleCommand, { Bucket: BUCKET });
    expect(stored).toBeUndefined();
    expect(first.detail).toBe(`removed the lifecycle configuration of ${BUCKET}: it had none before`);
    expect(second.detail).toBe(`${BUCKET} already has its previous lifecycle configuration`);
    expect(s3).toHaveReceivedCommandTimes(DeleteBucketLifecycleCommand, 1);
  });

  it("puts the previous configuration back exactly", async () => {
    const undo = await applied([theirs]);

    const { detail } = await restoreLifecycle.run(newClients(), undo);

    expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand).at(-1)!.args[0].input).toEqual({
      Bucket: BUCKET,
      LifecycleConfiguration: { Rules: [theirs] },
    });
    expect(stored?.Rules).toEqual([theirs]);
    expect(detail).toBe(`put back the previous lifecycle configuration of ${BUCKET} (1 rule(s))`);
  });

  it("does not overwrite rules the owner changed after the janitor applied its own", async () => {
    const undo = await applied(undefined);
    stored = { Rules: [theirs] };

    await expect(restoreLifecycle.run(newClients(), undo)).rejects.toThrow(
      /changed after the janitor applied its rules/,
    );
    expect(s3).not.toHaveReceivedCommand(DeleteBucketLifecycleCommand);
    expect(stored).toEqual({ Rules: [theirs] });
  });

  it("refuses an undo record without the configurations", async () => {
    const undo: UndoRecord = {
      findingId: "f1",
      resourceArn: ARN,
      resourceType: "s3:bucket",
      action: "configure",
      savedAt: "2026-11-23T12:00:00Z",
      data: { region: "us-east-1", bucket: BUCKET },
    };
    await expect(restoreLifecycle.run(newClients(), undo)).rejects.toBeInstanceOf(InvalidUndoRecordError);
  });
});
