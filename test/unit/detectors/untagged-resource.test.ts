import { describe, expect, it } from "vitest";
import { emptyInventory, type Inventory } from "../../../shared/detectors/inventory.ts";
import type { DetectorContext, Exclusions } from "../../../shared/detectors/types.ts";
import {
  TAGGABLE_TYPES,
  type UntaggedResourceParams,
  untaggedResource,
  untaggedResourceParams,
} from "../../../shared/detectors/untagged-resource.ts";
import { context, daysAgo, endpoint, NOW, variant } from "../../fixtures/endpoints.ts";

const ACCOUNT = "123456789012";
const FULL = {
  team: "risk",
  project: "fraud",
  environment: "dev",
  "cost-center": "cc-42",
  owner: "maria@example.com",
};
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const arn = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${kind}/${name}`;

function params(overrides: Partial<UntaggedResourceParams> = {}): UntaggedResourceParams {
  return { ...untaggedResourceParams.parse(undefined), ...overrides };
}

function run(
  inventory: Partial<Inventory>,
  p: Partial<UntaggedResourceParams> = {},
  ctx: Partial<DetectorContext<UntaggedResourceParams>> = {},
) {
  const c = context(params(p), { policy: "untagged-resources", ...ctx });
  const inv = emptyInventory(inventory);
  expect(untaggedResource.metricRequests(inv, c)).toEqual([]);
  return untaggedResource.detect(inv, { get: () => undefined }, c);
}

const exclude = (e: Partial<Exclusions>): Exclusions => ({ tags: {}, namePatterns: [], ...e });

const notebook = (name: string, tags: Record<string, string>, overrides = {}) => ({
  name,
  arn: arn("notebook-instance", name),
  region: "us-east-1",
  status: "InService",
  instanceType: "ml.t3.medium",
  creationTime: daysAgo(10),
  lastModifiedTime: daysAgo(10),
  tags,
  ...overrides,
});

const trainingJob = (name: string, tags: Record<string, string>, overrides = {}) => ({
  name,
  arn: arn("training-job", name),
  region: "us-east-1",
  kind: "training" as const,
  status: "InProgress",
  creationTime: daysAgo(2),
  instanceType: "ml.p3.8xlarge",
  instanceCount: 4,
  managedSpot: false,
  tags,
  ...overrides,
});

const instance = (id: string, tags: Record<string, string>, overrides = {}) => ({
  id,
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`,
  region: "us-east-1",
  instanceType: "g5.xlarge",
  state: "running",
  launchTime: daysAgo(5),
  tags,
  ...overrides,
});

const volume = (id: string, tags: Record<string, string>, overrides = {}) => ({
  id,
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/${id}`,
  region: "us-east-1",
  volumeType: "gp3",
  sizeGiB: 500,
  state: "available",
  createTime: daysAgo(30),
  tags,
  ...overrides,
});

const bucket = (name: string, tags: Record<string, string>) => ({
  name,
  arn: `arn:aws:s3:::${name}`,
  region: "us-east-1",
  creationDate: daysAgo(100),
  tags,
});

const domain = (id: string, tags: Record<string, string>) => ({
  id,
  name: "ml-studio",
  arn: arn("domain", id),
  region: "us-east-1",
  status: "InService",
  creationTime: daysAgo(200),
  idleShutdown: {},
  tags,
});

const space = (name: string, tags: Record<string, string>, overrides = {}) => ({
  domainId: "d-abc123",
  name,
  arn: arn("space", `d-abc123/${name}`),
  region: "us-east-1",
  status: "InService",
  creationTime: daysAgo(20),
  tags,
  ...overrides,
});

describe("untagged-resource", () => {
  it("flags a resource missing some required tags, listing missing and present ones", () => {
    const e = endpoint({ tags: { team: "risk", owner: "maria@example.com" } });
    const { findings } = run({ endpoints: [e] });

    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.reason).toBe("missing 3 of 5 required tags: project, environment, cost-center");
    expect(f.evidence).toMatchObject({
      requiredTags: ["team", "project", "environment", "cost-center", "owner"],
      missingTags: ["project", "environment", "cost-center"],
      presentTags: ["team", "owner"],
      ownerSource: "owner tag",
      costIsWaste: false,
    });
    expect(f).toMatchObject({
      detector: "untagged-resource",
      policy: "untagged-resources",
      confidence: "high",
      proposedAction: "tag",
      owner: { email: "maria@example.com", team: "risk" },
      resource: { type: "sagemaker:endpoint", id: "fraud-scorer-v1", arn: e.arn },
    });
    expect(f.id).toMatch(/^untagged-resource-[0-9a-f]{12}$/);
  });

  it("leaves fully tagged resources alone and says nothing about them", () => {
    const result = run({ endpoints: [endpoint({ tags: FULL })], buckets: [bucket("data", FULL)] });
    expect(result).toEqual({ findings: [], excluded: [], unknown: [] });
  });

  it("flags a never-tagged resource as missing every required tag", () => {
    const { findings } = run({ buckets: [bucket("raw-dumps", {})] });
    expect(findings[0]!.reason).toBe(
      "missing all 5 required tags: team, project, environment, cost-center, owner",
    );
    expect(findings[0]!.evidence).toMatchObject({ presentTags: [], ownerSource: "unknown" });
    expect(findings[0]!.owner).toEqual({});
  });

  it("covers every resource type, with its resource type and cost basis", () => {
    const inventory: Partial<Inventory> = {
      endpoints: [endpoint({ name: "ep", tags: {} })],
      notebooks: [notebook("nb", {})],
      studioDomains: [domain("d-abc123", {})],
      studioSpaces: [space("sp", {})],
      trainingJobs: [
        trainingJob("train", {}),
        trainingJob("prep", {}, { kind: "processing", arn: arn("processing-job", "prep") }),
      ],
      ec2Instances: [instance("i-0abc", {})],
      volumes: [volume("vol-0abc", {})],
      buckets: [bucket("bkt", {})],
    };
    const { findings } = run(inventory);

    const byType = Object.fromEntries(findings.map((f) => [f.resource.type, f]));
    expect(Object.keys(byType).sort()).toEqual([...TAGGABLE_TYPES].sort());
    expect(byType["sagemaker:endpoint"]!.monthlyCostUsd).toBeCloseTo(0.736 * 730, 2);
    expect(byType["sagemaker:notebook-instance"]!.monthlyCostUsd).toBeCloseTo(0.05 * 730, 2);
    expect(byType["sagemaker:training-job"]!.monthlyCostUsd).toBeCloseTo(14.688 * 4 * 730, 1);
    expect(byType["sagemaker:processing-job"]!.resource.id).toBe("prep");
    expect(byType["ec2:instance"]!.monthlyCostUsd).toBeCloseTo(1.006 * 730, 2);
    expect(byType["ec2:volume"]!.monthlyCostUsd).toBeGreaterThan(0);
    expect(byType["sagemaker:domain"]!.resource.id).toBe("d-abc123");
    expect(byType["sagemaker:space"]!.resource.id).toBe("d-abc123/sp");
    for (const type of ["sagemaker:domain", "sagemaker:space", "s3:bucket"]) {
      expect(byType[type]!.monthlyCostUsd).toBe(0);
      expect(byType[type]!.evidence.monthlyCostBasis).toEqual(expect.any(String));
    }
  });

  it("prices stopped instances and notebooks at 0 and says why", () => {
    const { findings } = run({
      notebooks: [notebook("nb", {}, { status: "Stopped" })],
      ec2Instances: [instance("i-0abc", {}, { state: "stopped" })],
    });
    expect(findings.map((f) => f.monthlyCostUsd)).toEqual([0, 0]);
    expect(findings[0]!.evidence.monthlyCostBasis).toMatch(/not billed while Stopped/);
  });

  it("ignores finished training jobs, terminated instances and deleted volumes", () => {
    const { findings, unknown, excluded } = run({
      trainingJobs: [trainingJob("done", {}, { status: "Completed" })],
      ec2Instances: [instance("i-0dead", {}, { state: "terminated" })],
      volumes: [volume("vol-0gone", {}, { state: "deleting" })],
      endpoints: [endpoint({ status: "Deleting", tags: {} })],
    });
    expect([findings, unknown, excluded]).toEqual([[], [], []]);
  });

  it("checks only the resource types asked for, and reads only their inventory", () => {
    const { findings } = run(
      { buckets: [bucket("bkt", {})], volumes: [volume("vol-0abc", {})] },
      { resourceTypes: ["ec2:volume"] },
    );
    expect(findings.map((f) => f.resource.type)).toEqual(["ec2:volume"]);
    expect(untaggedResource.inventoryFor!(params({ resourceTypes: ["ec2:volume", "ec2:instance"] }))).toEqual(
      ["volumes", "ec2Instances"],
    );
    expect(
      untaggedResource.inventoryFor!(
        params({ resourceTypes: ["sagemaker:training-job", "sagemaker:processing-job"] }),
      ),
    ).toEqual(["trainingJobs"]);
    expect([...untaggedResource.inventoryFor!(params())].sort()).toEqual(
      [...untaggedResource.inventory].sort(),
    );
  });

  it("reads nothing but the kinds it asked for (the scan loads no others)", () => {
    const c = context(params({ resourceTypes: ["s3:bucket"] }), { policy: "untagged-resources" });
    const partial = { buckets: [bucket("b", {})] } as unknown as Inventory;
    expect(untaggedResource.detect(partial, { get: () => undefined }, c).findings).toHaveLength(1);
  });

  it("uses the policy's requiredTags over the account's", () => {
    const tags = { team: "risk" };
    expect(run({ buckets: [bucket("b", tags)] }, { requiredTags: ["team"] }).findings).toEqual([]);
    const { findings } = run({ buckets: [bucket("b", tags)] }, { requiredTags: ["team", "data-class"] });
    expect(findings[0]!.evidence).toMatchObject({
      requiredTags: ["team", "data-class"],
      missingTags: ["data-class"],
    });
  });

  it("falls back to the account's tags.required", () => {
    const ctx = { tags: { ...context(params()).tags, required: ["owner"] } };
    expect(run({ buckets: [bucket("b", { owner: "a@example.com" })] }, {}, ctx).findings).toEqual([]);
    const { findings } = run({ buckets: [bucket("b", { team: "x" })] }, {}, ctx);
    expect(findings[0]!.reason).toBe("missing the required tag: owner");
  });

  describe("tag keys", () => {
    it("are case-sensitive, as in AWS: Team does not satisfy team, and the finding says so", () => {
      const tags: Record<string, string> = { ...FULL };
      delete tags.team;
      const { findings } = run({ buckets: [bucket("b", { ...tags, Team: "risk" })] });
      expect(findings).toHaveLength(1);
      expect(findings[0]!.reason).toBe(
        'missing 1 of 5 required tags: team (has "Team"; tag keys are case-sensitive)',
      );
      expect(findings[0]!.evidence).toMatchObject({
        missingTags: ["team"],
        caseMismatches: { team: "Team" },
      });
      // And the owner is not guessed from a look-alike key either.
      expect(findings[0]!.owner).toEqual({ email: "maria@example.com" });
    });

    it("count an empty or blank value as missing", () => {
      const { findings } = run({ buckets: [bucket("b", { ...FULL, project: "  " })] });
      expect(findings[0]!.reason).toBe("missing 1 of 5 required tags: project (empty)");
      expect(findings[0]!.evidence).toMatchObject({ missingTags: ["project"], emptyTags: ["project"] });
    });

    it("do not care about tag values otherwise", () => {
      expect(run({ buckets: [bucket("b", { ...FULL, environment: "whatever" })] }).findings).toEqual([]);
    });
  });

  describe("minAgeHours", () => {
    const at = (h: number) =>
      endpoint({ tags: {}, creationTime: hoursAgo(h), lastModifiedTime: hoursAgo(h) });

    it("does not judge a resource younger than minAgeHours, and counts it as unknown", () => {
      const { findings, unknown } = run({ endpoints: [at(23.99)] });
      expect(findings).toEqual([]);
      expect(unknown).toEqual([
        {
          resource: "sagemaker:endpoint fraud-scorer-v1",
          reason: "created less than 24 hours ago (minAgeHours)",
        },
      ]);
    });

    it("judges a resource exactly minAgeHours old", () => {
      const { findings } = run({ endpoints: [at(24)] });
      expect(findings).toHaveLength(1);
      expect(findings[0]!.evidence.ageHours).toBe(24);
    });

    it("follows the policy's value, 0 included", () => {
      expect(run({ endpoints: [at(2)] }, { minAgeHours: 1 }).findings).toHaveLength(1);
      expect(run({ endpoints: [at(0)] }, { minAgeHours: 0 }).findings).toHaveLength(1);
      expect(run({ endpoints: [at(2)] }, { minAgeHours: 3 }).findings).toHaveLength(0);
    });

    it("does not count a young resource that is already fully tagged", () => {
      const e = endpoint({ tags: FULL, creationTime: hoursAgo(1) });
      expect(run({ endpoints: [e] })).toEqual({ findings: [], excluded: [], unknown: [] });
    });
  });

  describe("exclusions", () => {
    it("never reports a resource with the protect tag", () => {
      const { findings, excluded } = run({ volumes: [volume("vol-0abc", { "janitor:protect": "true" })] });
      expect(findings).toEqual([]);
      expect(excluded).toEqual([{ resource: "ec2:volume vol-0abc", reason: "protect tag janitor:protect" }]);
    });

    it("honours the policy's tag and name exclusions", () => {
      const { findings, excluded } = run(
        {
          buckets: [
            bucket("cdk-assets-123", {}),
            bucket("scratch", { "managed-by": "terraform" }),
            bucket("data", {}),
          ],
        },
        {},
        { exclude: exclude({ namePatterns: ["cdk-*"], tags: { "managed-by": "*" } }) },
      );
      expect(findings.map((f) => f.resource.id)).toEqual(["data"]);
      expect(excluded.map((e) => e.reason).sort()).toEqual([
        "excluded by name pattern cdk-*",
        "excluded by tag managed-by=terraform",
      ]);
    });

    it("matches name patterns on an instance's Name tag", () => {
      const { excluded } = run(
        { ec2Instances: [instance("i-0abc", { Name: "eks-node-1" })] },
        {},
        { exclude: exclude({ namePatterns: ["eks-node-*"] }) },
      );
      expect(excluded).toHaveLength(1);
    });
  });

  describe("owner", () => {
    it("comes from the owner tag when it holds an email", () => {
      const { findings } = run({ buckets: [bucket("b", { owner: "ana@example.com", team: "nlp" })] });
      expect(findings[0]!.owner).toEqual({ email: "ana@example.com", team: "nlp" });
      expect(findings[0]!.evidence.ownerSource).toBe("owner tag");
    });

    it("is guessed from a training job's creator", () => {
      const job = trainingJob(
        "t",
        { team: "nlp" },
        {
          createdBy: "arn:aws:sts::123456789012:assumed-role/DataScientist/li@example.com",
        },
      );
      const f = run({ trainingJobs: [job] }).findings[0]!;
      expect(f.owner).toEqual({ email: "li@example.com", team: "nlp" });
      expect(f.evidence).toMatchObject({
        ownerSource: "creator (training job creator)",
        creatorSource: "training job creator",
      });
    });

    it("is guessed from a created-by tag, then aws:createdBy", () => {
      const a = run({ volumes: [volume("vol-1", { "created-by": "omar@example.com" })] }).findings[0]!;
      expect(a.owner).toEqual({ email: "omar@example.com" });
      expect(a.evidence.ownerSource).toBe("creator (created-by tag)");
      const b = run({
        volumes: [volume("vol-2", { "aws:createdBy": "AssumedRole:AROAEXAMPLE:kim@example.com" })],
      }).findings[0]!;
      expect(b.owner).toEqual({ email: "kim@example.com" });
      expect(b.evidence).toMatchObject({
        ownerSource: "creator (aws:createdBy tag)",
        creator: "kim@example.com",
      });
    });

    it("records the Studio user profile of a private space or of a sagemaker:user-profile-arn tag", () => {
      const s = run({
        studioSpaces: [space("sp", { team: "growth" }, { ownerUserProfileName: "dev@example.com" })],
      }).findings[0]!;
      expect(s.owner).toEqual({ email: "dev@example.com", team: "growth" });
      const profileArn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:user-profile/d-abc123/sam`;
      const t = run({
        trainingJobs: [trainingJob("t", { team: "risk", "sagemaker:user-profile-arn": profileArn })],
      }).findings[0]!;
      // Not an email: the team channel it is, with the creator in the evidence.
      expect(t.owner).toEqual({ team: "risk" });
      expect(t.evidence).toMatchObject({ ownerSource: "team tag", creator: "sam" });
    });

    it("falls back to the team tag, else nothing", () => {
      expect(run({ buckets: [bucket("b", { team: "risk" })] }).findings[0]!.owner).toEqual({ team: "risk" });
      const none = run({ buckets: [bucket("b", { owner: "not-an-email" })] }).findings[0]!;
      expect(none.owner).toEqual({});
      expect(none.evidence.ownerSource).toBe("unknown");
    });
  });

  it("gives the same id to the same resource on every run, distinct per resource", () => {
    const a = run({ endpoints: [endpoint({ tags: {} })] }).findings[0]!;
    const b = run({ endpoints: [endpoint({ tags: { team: "x" } })] }).findings[0]!;
    const c = run({ endpoints: [endpoint({ name: "other", tags: {} })] }).findings[0]!;
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
  });

  it("prices multi-variant and serverless endpoints like idle-endpoint does", () => {
    const e = endpoint({
      tags: {},
      variants: [
        variant({ name: "A", instanceType: "ml.m5.large", instanceCount: 2 }),
        variant({
          name: "B",
          instanceType: undefined,
          instanceCount: 0,
          serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
        }),
      ],
    });
    expect(run({ endpoints: [e] }).findings[0]!.monthlyCostUsd).toBeCloseTo(0.115 * 2 * 730, 2);
  });

  describe("params", () => {
    it("are strict: an unknown key or resource type is an error", () => {
      expect(untaggedResourceParams.safeParse({ minAgeHour: 2 }).success).toBe(false);
      expect(untaggedResourceParams.safeParse({ resourceTypes: ["sagemaker:model"] }).success).toBe(false);
      expect(untaggedResourceParams.safeParse({ requiredTags: [] }).success).toBe(false);
    });

    it("default to every type, 24 hours, and the account's required tags", () => {
      expect(untaggedResourceParams.parse(undefined)).toEqual({
        resourceTypes: [...TAGGABLE_TYPES],
        minAgeHours: 24,
      });
      expect(untaggedResourceParams.parse({})).toEqual({
        resourceTypes: [...TAGGABLE_TYPES],
        minAgeHours: 24,
      });
    });
  });
});
