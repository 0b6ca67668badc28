/**
 * The S3 control plane the sandbox answers from the scenario (lifecycle, multipart uploads,
 * bucket tagging and versioning), driven by the real S3 client: shapes, S3's errors, pagination.
 * No object store behind it: these calls never reach one.
 */
import {
  AbortMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  paginateListParts,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { clientConfig, DAY, HOUR, NOW, useSandbox, world } from "./helpers.ts";

const MIB = 1024 * 1024;

const scenario = () =>
  world({
    s3: {
      buckets: [
        {
          name: "ml-training-scratch",
          created: "-180d",
          tags: { team: "research" },
          lifecycle: [
            {
              ID: "to-ia",
              Status: "Enabled",
              Filter: { Prefix: "" },
              Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }],
            },
          ],
          multipartUploads: [
            {
              key: "ckpt/big.ckpt",
              uploadId: "up-big",
              initiated: "-23d",
              parts: [{ count: 2500, size: 8 * MIB }],
            },
            { key: "ckpt/big.ckpt", uploadId: "up-big-retry", initiated: "-22d", parts: [5 * MIB, 1024] },
            { key: "data/shard-1.tar", initiated: "-12d", storageClass: "STANDARD_IA", parts: [] },
            { key: "data/shard-2.tar", uploadId: "up-s2", initiated: "-2h", parts: [64 * MIB] },
            { key: "readme.txt", uploadId: "up-r", initiated: "-1d", parts: [10] },
          ],
        },
        {
          name: "ml-models-prod",
          created: "-400d",
          versioning: "Enabled",
          lifecycle: [
            {
              ID: "abort-incomplete",
              Status: "Enabled",
              Filter: { Prefix: "" },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
            {
              ID: "old-versions",
              Status: "Enabled",
              Filter: { And: { Prefix: "registry/", Tags: [{ Key: "tier", Value: "cold" }] } },
              NoncurrentVersionExpiration: { NoncurrentDays: 90, NewerNoncurrentVersions: 3 },
            },
          ],
        },
        { name: "ml-experiments", created: "-300d" },
      ],
    },
  });

const ctx = useSandbox(scenario);
let s3: S3Client;
const client = () => {
  s3 ??= new S3Client(clientConfig(ctx.sandbox, { maxAttempts: 1 }));
  return s3;
};
afterAll(() => s3?.destroy());

async function s3Error(p: Promise<unknown>): Promise<S3ServiceException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(S3ServiceException);
  return err as S3ServiceException;
}

describe("lifecycle", () => {
  it("answers the scenario's rules in the SDK's shape", async () => {
    const out = await client().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "ml-models-prod" }));
    expect(out.Rules).toEqual([
      {
        ID: "abort-incomplete",
        Status: "Enabled",
        Filter: { Prefix: "" },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
      {
        ID: "old-versions",
        Status: "Enabled",
        Filter: { And: { Prefix: "registry/", Tags: [{ Key: "tier", Value: "cold" }] } },
        NoncurrentVersionExpiration: { NoncurrentDays: 90, NewerNoncurrentVersions: 3 },
      },
    ]);
    expect(out.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    expect(ctx.sandbox.counts()["S3.GetBucketLifecycleConfiguration"]).toBe(1);
  });

  it("answers NoSuchLifecycleConfiguration (404) for a bucket without one, NoSuchBucket for a stranger", async () => {
    const none = await s3Error(
      client().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "ml-experiments" })),
    );
    expect(none.name).toBe("NoSuchLifecycleConfiguration");
    expect(none.message).toBe("The lifecycle configuration does not exist");
    expect(none.$metadata.httpStatusCode).toBe(404);
    expect((none as unknown as { BucketName: string }).BucketName).toBe("ml-experiments");

    const stranger = await s3Error(
      client().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "not-in-scenario" })),
    );
    expect(stranger.name).toBe("NoSuchBucket");
    expect(stranger.$metadata.httpStatusCode).toBe(404);
  });

  it("stores a PUT configuration, answers it back, and DELETE removes it", async () => {
    const rules = [
      {
        ID: "abort-after-3d",
        Status: "Enabled" as const,
        Filter: { Prefix: "tmp/" },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
        Expiration: { Days: 14 },
      },
      {
        ID: "archive",
        Status: "Disabled" as const,
        Filter: { ObjectSizeGreaterThan: 1048576 },
        Transitions: [
          { Days: 30, StorageClass: "STANDARD_IA" as const },
          { Date: new Date("2027-01-01T00:00:00Z"), StorageClass: "GLACIER" as const },
        ],
      },
    ];
    await client().send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "ml-experiments",
        LifecycleConfiguration: { Rules: rules },
      }),
    );
    const bucket = ctx.sandbox.scenario.s3.buckets.find((b) => b.name === "ml-experiments")!;
    expect(bucket.lifecycle?.map((r) => r.ID)).toEqual(["abort-after-3d", "archive"]);
    expect(bucket.lifecycle?.[1]?.Transitions?.[1]).toEqual({
      Date: "2027-01-01T00:00:00Z",
      StorageClass: "GLACIER",
    });

    const back = await client().send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: "ml-experiments" }),
    );
    expect(back.Rules).toEqual(rules);

    await client().send(new DeleteBucketLifecycleCommand({ Bucket: "ml-experiments" }));
    expect(bucket.lifecycle).toBeUndefined();
    const gone = await s3Error(
      client().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "ml-experiments" })),
    );
    expect(gone.name).toBe("NoSuchLifecycleConfiguration");
  });

  it.each([
    ["not XML at all", "lifecycle, please", "MalformedXML"],
    ["the wrong root", "<Tagging><TagSet/></Tagging>", "MalformedXML"],
    [
      "an unknown element",
      "<LifecycleConfiguration><Rule><Status>Enabled</Status><Bogus/></Rule></LifecycleConfiguration>",
      "MalformedXML",
    ],
    [
      "no Status",
      "<LifecycleConfiguration><Rule><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
      "MalformedXML",
    ],
    [
      "non-numeric Days",
      "<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>soon</Days></Expiration></Rule></LifecycleConfiguration>",
      "MalformedXML",
    ],
    ["unclosed elements", "<LifecycleConfiguration><Rule><Status>Enabled</Status>", "MalformedXML"],
    ["no rule", "<LifecycleConfiguration></LifecycleConfiguration>", "MalformedXML"],
    [
      "a rule without action",
      "<LifecycleConfiguration><Rule><ID>x</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status></Rule></LifecycleConfiguration>",
      "InvalidRequest",
    ],
    [
      "zero Days",
      "<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule></LifecycleConfiguration>",
      "InvalidArgument",
    ],
    [
      "duplicate IDs",
      "<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule></LifecycleConfiguration>",
      "InvalidArgument",
    ],
  ])("refuses %s, leaving the configuration as it was", async (_what, body, code) => {
    const res = await fetch(`${ctx.sandbox.url}/ml-training-scratch?lifecycle`, { method: "PUT", body });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain(`<Code>${code}</Code>`);
    const kept = ctx.sandbox.scenario.s3.buckets.find((b) => b.name === "ml-training-scratch")!;
    expect(kept.lifecycle?.map((r) => r.ID)).toEqual(["to-ia"]);
  });
});

describe("bucket tagging and versioning", () => {
  it("answers the scenario's tags, and NoSuchTagSet for an untagged bucket", async () => {
    const out = await client().send(new GetBucketTaggingCommand({ Bucket: "ml-training-scratch" }));
    expect(out.TagSet).toEqual([{ Key: "team", Value: "research" }]);
    const none = await s3Error(client().send(new GetBucketTaggingCommand({ Bucket: "ml-experiments" })));
    expect(none.name).toBe("NoSuchTagSet");
    expect(none.$metadata.httpStatusCode).toBe(404);
  });

  it("answers versioning from the scenario; never versioned has no Status", async () => {
    const on = await client().send(new GetBucketVersioningCommand({ Bucket: "ml-models-prod" }));
    expect(on.Status).toBe("Enabled");
    const never = await client().send(new GetBucketVersioningCommand({ Bucket: "ml-experiments" }));
    expect(never.Status).toBeUndefined();
    const stranger = await s3Error(client().send(new GetBucketVersioningCommand({ Bucket: "elsewhere" })));
    expect(stranger.name).toBe("NoSuchBucket");
  });

  it("lists the scenario's buckets with their ages", async () => {
    const out = await client().send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => [b.Name, b.CreationDate?.getTime()])).toEqual([
      ["ml-experiments", NOW.getTime() - 300 * DAY],
      ["ml-models-prod", NOW.getTime() - 400 * DAY],
      ["ml-training-scratch", NOW.getTime() - 180 * DAY],
    ]);
  });
});

describe("multipart uploads", () => {
  it("lists uploads sorted by key then start time, with their storage class and start", async () => {
    const out = await client().send(new ListMultipartUploadsCommand({ Bucket: "ml-training-scratch" }));
    expect(out.IsTruncated).toBe(false);
    expect(out.Uploads?.map((u) => [u.Key, u.UploadId, u.StorageClass, u.Initiated?.getTime()])).toEqual([
      ["ckpt/big.ckpt", "up-big", "STANDARD", NOW.getTime() - 23 * DAY],
      ["ckpt/big.ckpt", "up-big-retry", "STANDARD", NOW.getTime() - 22 * DAY],
      ["data/shard-1.tar", expect.stringMatching(/^[\w-]{40,}$/), "STANDARD_IA", NOW.getTime() - 12 * DAY],
      ["data/shard-2.tar", "up-s2", "STANDARD", NOW.getTime() - 2 * HOUR],
      ["readme.txt", "up-r", "STANDARD", NOW.getTime() - DAY],
    ]);
    expect(out.Uploads?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const none = await client().send(new ListMultipartUploadsCommand({ Bucket: "ml-experiments" }));
    expect(none.Uploads).toBeUndefined();
  });

  it("pages with key and upload-id markers", async () => {
    const seen: string[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    let pages = 0;
    for (;;) {
      const page = await client().send(
        new ListMultipartUploadsCommand({ Bucket: "ml-training-scratch", MaxUploads: 2, ...markers }),
      );
      pages++;
      seen.push(...(page.Uploads ?? []).map((u) => `${u.Key}#${u.UploadId}`));
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker!, UploadIdMarker: page.NextUploadIdMarker! };
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(seen.slice(0, 2)).toEqual(["ckpt/big.ckpt#up-big", "ckpt/big.ckpt#up-big-retry"]);
    // A key marker alone starts after every upload of that key.
    const after = await client().send(
      new ListMultipartUploadsCommand({ Bucket: "ml-training-scratch", KeyMarker: "ckpt/big.ckpt" }),
    );
    expect(after.Uploads?.[0]?.Key).toBe("data/shard-1.tar");
  });

  it("filters by prefix and rolls keys up to common prefixes with a delimiter", async () => {
    const out = await client().send(
      new ListMultipartUploadsCommand({ Bucket: "ml-training-scratch", Delimiter: "/" }),
    );
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["ckpt/", "data/"]);
    expect(out.Uploads?.map((u) => u.Key)).toEqual(["readme.txt"]);
    const data = await client().send(
      new ListMultipartUploadsCommand({ Bucket: "ml-training-scratch", Prefix: "data/" }),
    );
    expect(data.Uploads?.map((u) => u.Key)).toEqual(["data/shard-1.tar", "data/shard-2.tar"]);
  });

  it("refuses a page size that is not a positive integer", async () => {
    const res = await fetch(`${ctx.sandbox.url}/ml-training-scratch?uploads&max-uploads=-1`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>InvalidArgument</Code>");
  });

  it("lists parts 1,000 at most, with the part-number marker", async () => {
    const first = await client().send(
      new ListPartsCommand({
        Bucket: "ml-training-scratch",
        Key: "ckpt/big.ckpt",
        UploadId: "up-big",
        MaxParts: 5000,
      }),
    );
    expect(first.Parts).toHaveLength(1000);
    expect(first.MaxParts).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextPartNumberMarker).toBe("1000");
    expect(first.Parts?.[0]).toMatchObject({
      PartNumber: 1,
      Size: 8 * MIB,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });

    let parts = 0;
    let bytes = 0;
    for await (const page of paginateListParts(
      { client: client(), pageSize: 1000 },
      { Bucket: "ml-training-scratch", Key: "ckpt/big.ckpt", UploadId: "up-big" },
    )) {
      for (const p of page.Parts ?? []) {
        parts++;
        bytes += p.Size ?? 0;
      }
    }
    expect([parts, bytes]).toEqual([2500, 2500 * 8 * MIB]);

    const small = await client().send(
      new ListPartsCommand({ Bucket: "ml-training-scratch", Key: "ckpt/big.ckpt", UploadId: "up-big-retry" }),
    );
    expect(small.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MIB],
      [2, 1024],
    ]);
    expect(small.IsTruncated).toBe(false);
  });

  it("answers NoSuchUpload (404) for an upload id of another key or none at all", async () => {
    const wrongKey = await s3Error(
      client().send(
        new ListPartsCommand({ Bucket: "ml-training-scratch", Key: "readme.txt", UploadId: "up-big" }),
      ),
    );
    expect(wrongKey.name).toBe("NoSuchUpload");
    expect(wrongKey.$metadata.httpStatusCode).toBe(404);
    const stranger = await s3Error(
      client().send(new ListPartsCommand({ Bucket: "elsewhere", Key: "readme.txt", UploadId: "up-r" })),
    );
    expect(stranger.name).toBe("NoSuchBucket");
  });

  it("aborts an upload: it leaves the listing, and a second abort is NoSuchUpload", async () => {
    await client().send(
      new AbortMultipartUploadCommand({ Bucket: "ml-training-scratch", Key: "readme.txt", UploadId: "up-r" }),
    );
    const out = await client().send(new ListMultipartUploadsCommand({ Bucket: "ml-training-scratch" }));
    expect(out.Uploads?.map((u) => u.UploadId)).not.toContain("up-r");
    const again = await s3Error(
      client().send(
        new AbortMultipartUploadCommand({
          Bucket: "ml-training-scratch",
          Key: "readme.txt",
          UploadId: "up-r",
        }),
      ),
    );
    expect(again.name).toBe("NoSuchUpload");
    expect(ctx.sandbox.counts()["S3.AbortMultipartUpload"]).toBe(2);
  });
});

describe("without an object store", () => {
  it("answers object calls with 501 NotImplemented, counted", async () => {
    const err = await s3Error(client().send(new GetObjectCommand({ Bucket: "ml-experiments", Key: "a" })));
    expect(err.name).toBe("NotImplemented");
    expect(err.$metadata.httpStatusCode).toBe(501);
    expect(ctx.sandbox.counts()["S3.GetObject"]).toBe(1);
  });
});

describe("inventory configurations", () => {
  it("lists none for a scenario bucket (S3's empty answer) and NoSuchConfiguration by id", async () => {
    const list = await client().send(
      new ListBucketInventoryConfigurationsCommand({ Bucket: "ml-experiments" }),
    );
    expect([list.IsTruncated, list.InventoryConfigurationList]).toEqual([false, undefined]);
    const one = await s3Error(
      client().send(new GetBucketInventoryConfigurationCommand({ Bucket: "ml-experiments", Id: "daily" })),
    );
    expect([one.name, one.$metadata.httpStatusCode]).toEqual(["NoSuchConfiguration", 404]);
    const stranger = await s3Error(
      client().send(new ListBucketInventoryConfigurationsCommand({ Bucket: "elsewhere" })),
    );
    expect(stranger.name).toBe("NoSuchBucket");
  });
});
