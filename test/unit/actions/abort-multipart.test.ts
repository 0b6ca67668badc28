import {
  AbortMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  ListMultipartUploadsCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type LifecycleRule as SdkRule,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { abortMultipart } from "../../../shared/actions/abort-multipart.ts";
import { getAction, getRestore } from "../../../shared/actions/registry.ts";
import { restoreMultipart } from "../../../shared/actions/restore-multipart.ts";
import type { LifecycleRule } from "../../../shared/s3/lifecycle.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const s3 = mockClient(S3Client);
const BUCKET = "ml-experiments";
const ARN = `arn:aws:s3:::${BUCKET}`;
const NOW = new Date("2026-11-23T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

const RULE: LifecycleRule = {
  ID: "janitor-abort-incomplete-multipart-7d",
  Status: "Enabled",
  Filter: {},
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
};
const theirs: LifecycleRule = {
  ID: "archive",
  Status: "Enabled",
  Filter: { Prefix: "old/" },
  Transitions: [{ Days: 60, StorageClass: "GLACIER" }],
};

function finding(uploadCount: number) {
  const f = findingFor("s3:multipart-uploads", BUCKET, ARN, {
    evidence: {
      uploads: [
        { key: "ckpt/a", uploadId: "ua", initiated: ago(30).toISOString() },
        { key: "ckpt/b", uploadId: "ub", initiated: ago(25).toISOString() },
        { key: "ckpt/c", uploadId: "uc", initiated: ago(20).toISOString() },
      ],
      uploadCount,
      minAgeDays: 7,
      proposedLifecycleRule: RULE,
    },
  });
  return { ...f, proposedAction: "delete" as const };
}

/** Uploads S3 still has, and the lifecycle it holds; calls are logged in order. */
let uploads: Array<{ Key: string; UploadId: string; Initiated: Date }>;
let stored: { Rules: SdkRule[] } | undefined;
let log: string[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  s3.reset();
  log = [];
  stored = undefined;
  uploads = [
    { Key: "ckpt/a", UploadId: "ua", Initiated: ago(30) },
    // ckpt/b completed since the scan.
    { Key: "ckpt/c", UploadId: "uc", Initiated: ago(20) },
    { Key: "ckpt/x", UploadId: "ux", Initiated: ago(10) },
    { Key: "ckpt/young", UploadId: "uy", Initiated: ago(2) },
  ];
  s3.on(ListMultipartUploadsCommand).callsFake(() => ({
    Uploads: structuredClone(uploads),
    IsTruncated: false,
  }));
  s3.on(AbortMultipartUploadCommand).callsFake((input) => {
    log.push(`abort ${input.UploadId}`);
    const before = uploads.length;
    uploads = uploads.filter((u) => u.UploadId !== input.UploadId);
    if (uploads.length === before) throw awsError("NoSuchUpload", "The specified upload does not exist");
    return {};
  });
  s3.on(GetBucketLifecycleConfigurationCommand).callsFake(() => {
    if (!stored) throw awsError("NoSuchLifecycleConfiguration", "none");
    return structuredClone(stored);
  });
  s3.on(PutBucketLifecycleConfigurationCommand).callsFake((input) => {
    log.push("put lifecycle");
    stored = { Rules: structuredClone(input.LifecycleConfiguration.Rules) };
    return {};
  });
  s3.on(DeleteBucketLifecycleCommand).callsFake(() => {
    log.push("delete lifecycle");
    stored = undefined;
    return {};
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("abort-multipart", () => {
  it("is the delete action on a bucket's uploads, with its own restore (no clash with apply-lifecycle)", () => {
    expect(getAction("s3:multipart-uploads", "delete")).toBe(abortMultipart);
    expect(getRestore("s3:multipart-uploads")).toBe(restoreMultipart);
  });

  it("aborts the listed uploads still there, leaves completed ones alone, then adds the abort rule", async () => {
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await abortMultipart.run(newClients(), finding(3), saveUndo);

    expect(s3).toHaveReceivedCommandWith(ListMultipartUploadsCommand, { Bucket: BUCKET, MaxUploads: 1000 });
    expect(log).toEqual(["saveUndo", "abort ua", "abort uc", "put lifecycle", "saveUndo"]);
    expect(s3).toHaveReceivedNthCommandWith(AbortMultipartUploadCommand, 1, {
      Bucket: BUCKET,
      Key: "ckpt/a",
      UploadId: "ua",
    });
    // ckpt/x is stale too, but the finding counted only the three it listed.
    expect(uploads.map((u) => u.UploadId)).toEqual(["ux", "uy"]);
    expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      LifecycleConfiguration: { Rules: [RULE] },
      TransitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    });
    expect(saved[0]).toEqual({
      resourceArn: ARN,
      resourceType: "s3:multipart-uploads",
      action: "delete",
      data: {
        region: "us-east-1",
        bucket: BUCKET,
        previousLifecycle: "none",
        appliedLifecycle: { Rules: [RULE], TransitionDefaultMinimumObjectSize: "all_storage_classes_128K" },
        aborted: [
          { key: "ckpt/a", uploadId: "ua" },
          { key: "ckpt/c", uploadId: "uc" },
        ],
        note: "aborted uploads cannot be restored",
      },
    });
    expect(saved[1]?.data.abortedCount).toBe(2);
    expect(outcome).toMatchObject({
      result: "done",
      fromState: "stale",
      detail:
        `aborted 2 incomplete upload(s) in ${BUCKET}; added lifecycle rule janitor-abort-incomplete-multipart-7d ` +
        "so S3 aborts them after 7 days from now on; left alone: ckpt/b (completed or aborted since the scan); " +
        "aborted uploads cannot be restored",
    });
  });

  it("aborts the stale uploads beyond the listed 50 when the evidence counts more, and says so", async () => {
    const { saveUndo } = undoRecorder(log);

    const outcome = await abortMultipart.run(newClients(), finding(60), saveUndo);

    expect(log).toEqual(["saveUndo", "abort ua", "abort uc", "abort ux", "put lifecycle", "saveUndo"]);
    expect(uploads.map((u) => u.UploadId)).toEqual(["uy"]);
    expect(outcome.detail).toMatch(
      /^aborted 3 incomplete upload\(s\) in ml-experiments \(1 of them beyond the 3 the notice listed\)/,
    );
  });

  it("reports an upload completed between the re-list and the abort, and merges with the owner's rules", async () => {
    stored = { Rules: [theirs as SdkRule] };
    s3.on(AbortMultipartUploadCommand, { UploadId: "uc" }).rejects(awsError("NoSuchUpload", "gone"));

    const outcome = await abortMultipart.run(newClients(), finding(3), undoRecorder().saveUndo);

    expect(stored?.Rules).toEqual([theirs, RULE]);
    expect(outcome.detail).toMatch(
      /aborted 1 incomplete upload\(s\).*ckpt\/c \(completed or aborted meanwhile\)/,
    );
  });

  it("does nothing twice: a second run finds no stale upload and the rule in place", async () => {
    await abortMultipart.run(newClients(), finding(3), undoRecorder().saveUndo);
    const second = undoRecorder();

    const outcome = await abortMultipart.run(newClients(), finding(3), second.saveUndo);

    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(second.saved).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(AbortMultipartUploadCommand, 2);
    expect(s3).toHaveReceivedCommandTimes(PutBucketLifecycleConfigurationCommand, 1);
  });

  it("leaves the lifecycle alone when a rule of the owner's already aborts every upload", async () => {
    const ownAbort: LifecycleRule = {
      ...RULE,
      ID: "own",
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
    };
    stored = { Rules: [ownAbort as SdkRule] };
    const { saved, saveUndo } = undoRecorder();

    const outcome = await abortMultipart.run(newClients(), finding(3), saveUndo);

    expect(s3).not.toHaveReceivedCommand(PutBucketLifecycleConfigurationCommand);
    expect(saved[0]?.data.appliedLifecycle).toBeUndefined();
    expect(outcome.detail).toMatch(/; its lifecycle already aborts them/);
  });
});

describe("restore-multipart", () => {
  const asRecord = (u: unknown): UndoRecord => ({
    ...(u as Omit<UndoRecord, "findingId" | "savedAt">),
    findingId: "f1",
    savedAt: NOW.toISOString(),
  });

  it("puts back the previous lifecycle and says plainly the uploads are gone", async () => {
    stored = { Rules: [theirs as SdkRule] };
    const { saved, saveUndo } = undoRecorder();
    await abortMultipart.run(newClients(), finding(3), saveUndo);

    const { detail } = await restoreMultipart.run(newClients(), asRecord(saved.at(-1)));

    expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand).at(-1)!.args[0].input).toEqual({
      Bucket: BUCKET,
      LifecycleConfiguration: { Rules: [theirs] },
    });
    expect(detail).toBe(
      `put back the previous lifecycle configuration of ${BUCKET} (1 rule(s)); ` +
        "the 2 aborted upload(s) cannot be restored (S3 freed their parts)",
    );
  });

  it("removes the lifecycle when there was none, and changes nothing when no rule was added", async () => {
    const first = undoRecorder();
    await abortMultipart.run(newClients(), finding(3), first.saveUndo);
    await restoreMultipart.run(newClients(), asRecord(first.saved.at(-1)));
    expect(log.at(-1)).toBe("delete lifecycle");

    const undo = asRecord({ ...first.saved.at(-1)!, data: { bucket: BUCKET, aborted: [{}, {}] } });
    expect((await restoreMultipart.run(newClients(), undo)).detail).toBe(
      "nothing to put back: the lifecycle was not changed; the 2 aborted upload(s) cannot be restored (S3 freed their parts)",
    );
  });
});
