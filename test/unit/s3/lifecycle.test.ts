import { describe, expect, it } from "vitest";
import {
  abortsAllIncompleteUploads,
  actsOnCurrentObjects,
  alreadyApplied,
  LifecycleMergeError,
  type LifecycleRule,
  mergeRules,
} from "../../../shared/s3/lifecycle.ts";

const abort: LifecycleRule = {
  ID: "a",
  Status: "Enabled",
  Filter: {},
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
};
const move: LifecycleRule = {
  ID: "m",
  Status: "Enabled",
  Filter: { Prefix: "x/" },
  Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }],
};

describe("lifecycle rules", () => {
  it("tells rules that act on current objects from the rest", () => {
    expect(actsOnCurrentObjects(move)).toBe(true);
    expect(actsOnCurrentObjects({ ID: "e", Status: "Enabled", Expiration: { Days: 3 } })).toBe(true);
    expect(
      actsOnCurrentObjects({ ID: "e", Status: "Enabled", Expiration: { ExpiredObjectDeleteMarker: true } }),
    ).toBe(false);
    expect(actsOnCurrentObjects({ ...move, Status: "Disabled" })).toBe(false);
    expect(actsOnCurrentObjects(abort)).toBe(false);
  });

  it("knows an abort rule narrowed by prefix does not cover the bucket", () => {
    expect(abortsAllIncompleteUploads(abort)).toBe(true);
    expect(abortsAllIncompleteUploads({ ...abort, Filter: { Prefix: "tmp/" } })).toBe(false);
    expect(abortsAllIncompleteUploads({ ...abort, Filter: undefined, Prefix: "" })).toBe(true);
  });

  it("merges after the bucket's rules, skipping an identical one, refusing clashes and S3's limit", () => {
    expect(mergeRules([move], [abort])).toEqual([move, abort]);
    // Same ID, same content (keys in another order): already there.
    expect(
      mergeRules(
        [
          {
            Filter: {},
            Status: "Enabled",
            ID: "a",
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
        [abort],
      ),
    ).toHaveLength(1);
    expect(() => mergeRules([{ ...move, ID: "a" }], [abort])).toThrow(LifecycleMergeError);
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...move, ID: `r${i}` }));
    expect(() => mergeRules(many, [abort])).toThrow(
      "the merged configuration would have 1001 rules; S3 allows 1000",
    );
  });

  it("recognises a configuration it already applied", () => {
    expect(alreadyApplied([move, abort], [move], [abort])).toBe(true);
    expect(alreadyApplied([move], [move], [abort])).toBe(false);
    expect(alreadyApplied([abort], [move], [abort])).toBe(false);
  });
});
