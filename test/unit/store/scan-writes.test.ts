import { describe, expect, it } from "vitest";
import { type MetaItem, newMetaItem } from "../../../shared/store/items.ts";
import { planObservation } from "../../../shared/store/scan-writes.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const finding = sampleFinding();
const T1 = "2025-03-01T02:00:00.000Z";
const T2 = "2025-03-02T02:00:00.000Z";
const T3 = "2025-03-03T02:00:00.000Z";

function meta(overrides: Partial<MetaItem>): MetaItem {
  return { ...newMetaItem(finding, "scan-1", T1), ...overrides };
}

const plan = (m: MetaItem | undefined, at: string) =>
  planObservation({ tableName: "janitor", finding, scanId: "scan-x", at, meta: m });

describe("planObservation", () => {
  it("moves the snapshot and lastSeen forward for a newer scan", () => {
    const { outcome, items } = plan(meta({}), T2);

    expect(outcome).toBe("seenAgain");
    expect(items).toHaveLength(2);
    expect(items[1]?.Update?.UpdateExpression).toBe(
      "SET finding = :finding, #lastSeen = :at, lastScanId = :scanId ADD timesSeen :one",
    );
  });

  it("only counts a late, older scan, and moves firstSeen back if it is earlier", () => {
    const late = plan(meta({ firstSeen: T2, lastSeen: T3, statusAt: T2 }), T1);

    expect(late.outcome).toBe("seenAgain");
    expect(late.items[1]?.Update?.UpdateExpression).toBe("SET firstSeen = :at ADD timesSeen :one");
    expect(late.items[1]?.Update?.ExpressionAttributeValues).toEqual({
      ":one": 1,
      ":readLastSeen": T3,
      ":readStatus": "open",
      ":at": T1,
    });
    expect(plan(meta({ lastSeen: T3 }), T2).items[1]?.Update?.UpdateExpression).toBe("ADD timesSeen :one");
  });

  it("reopens a finding resolved before this scan, not one resolved after it", () => {
    const reopened = plan(meta({ status: "resolved", statusAt: T2, gsi1pk: "STATUS#resolved" }), T3);
    expect(reopened.outcome).toBe("reopened");
    expect(reopened.items.map((i) => i.Put?.Item?.kind ?? "update")).toEqual([
      "observation",
      "update",
      "status",
      "audit",
    ]);
    expect(reopened.items[3]?.Put?.Item?.id).toBe(`scan:scan-x:reopened:${finding.id}`);

    const resolvedLater = plan(meta({ status: "resolved", statusAt: T3, gsi1pk: "STATUS#resolved" }), T2);
    expect(resolvedLater.outcome).toBe("seenAgain");
  });

  it("leaves workflow states alone", () => {
    expect(plan(meta({ status: "snoozed" }), T2).outcome).toBe("seenAgain");
    expect(plan(meta({ status: "snoozed" }), T2).items[1]?.Update?.UpdateExpression).not.toContain(
      "#status =",
    );
    for (const status of ["notified", "kept"] as const) {
      expect(plan(meta({ status, statusAt: T1 }), T2).outcome).toBe("seenAgain");
    }
  });

  it("reopens a finding acted on or cancelled before this scan: it is wasteful again", () => {
    for (const status of ["acted", "cancelled"] as const) {
      expect(plan(meta({ status, statusAt: T2 }), T3).outcome).toBe("reopened");
      expect(plan(meta({ status, statusAt: T3 }), T2).outcome).toBe("seenAgain");
    }
  });
});
