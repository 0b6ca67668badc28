import { describe, expect, it } from "vitest";
import { deciderRole, isAuthorized } from "../../../shared/slack/is-authorized.ts";
import { createUserGroupDirectory } from "../../../shared/slack/user-group-directory.ts";
import { sampleFinding } from "../../fixtures/findings.ts";
import { fakeSlackApi } from "./fake-slack-api.ts";

const approvers = { users: ["U0LEAD"], userGroups: ["S0MLOPS"] };
const finding = sampleFinding("e");

describe("isAuthorized", () => {
  it("lets the owner decide", () => {
    expect(deciderRole({ userId: "U04ANA0001", ownerUserId: "U04ANA0001", approvers, finding })).toBe(
      "owner",
    );
  });

  it("lets a configured approver decide", () => {
    expect(deciderRole({ userId: "U0LEAD", ownerUserId: "U04ANA0001", approvers })).toBe("approver");
  });

  it("lets a member of a configured approver group decide", () => {
    expect(deciderRole({ userId: "U0OPS", approvers, userGroupMembers: { S0MLOPS: ["U0OPS"] } })).toBe(
      "approver-group",
    );
  });

  it("refuses anyone else, including members of groups that are not approvers", () => {
    const input = {
      userId: "U0BOB",
      ownerUserId: "U04ANA0001",
      approvers,
      userGroupMembers: { S0OTHER: ["U0BOB"] },
    };

    expect(isAuthorized(input)).toBe(false);
    expect(deciderRole(input)).toBeUndefined();
  });

  it("refuses everyone but approvers when the owner is unknown", () => {
    expect(isAuthorized({ userId: "U04ANA0001", approvers })).toBe(false);
    expect(isAuthorized({ userId: "U0LEAD", approvers })).toBe(true);
  });
});

describe("createUserGroupDirectory", () => {
  it("caches members per group for the TTL, then asks again", async () => {
    const slack = fakeSlackApi({ groups: { S0MLOPS: ["U0OPS"] } });
    let now = new Date("2026-11-23T14:00:00Z");
    const groups = createUserGroupDirectory({ slack, ttlMs: 60_000, clock: () => now });

    await expect(groups.membersOf(["S0MLOPS"])).resolves.toEqual({ S0MLOPS: ["U0OPS"] });
    await groups.membersOf(["S0MLOPS"]);
    now = new Date(now.getTime() + 61_000);
    await groups.membersOf(["S0MLOPS"]);

    expect(slack.listUserGroupMembers).toHaveBeenCalledTimes(2);
  });

  it("does not cache a failure", async () => {
    const slack = fakeSlackApi({ groups: { S0MLOPS: ["U0OPS"] } });
    slack.listUserGroupMembers.mockRejectedValueOnce(new Error("timeout"));
    const groups = createUserGroupDirectory({ slack });

    await expect(groups.membersOf(["S0MLOPS"])).rejects.toThrow("timeout");
    await expect(groups.membersOf(["S0MLOPS"])).resolves.toEqual({ S0MLOPS: ["U0OPS"] });
  });
});
