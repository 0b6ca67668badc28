import { describe, expect, it } from "vitest";
import { SlackApiError } from "../../../shared/errors.ts";
import { createOwnerResolver } from "../../../shared/slack/resolve-owner.ts";
import { sampleFinding } from "../../fixtures/findings.ts";
import { fakeSlackApi } from "./fake-slack-api.ts";

const config = { defaultChannel: "#ml-janitor", teamChannels: { "ml-platform": "#team-ml-platform" } };

function findingOf(email: string | undefined, team: string | undefined) {
  return sampleFinding("e", { owner: { ...(email ? { email } : {}), ...(team ? { team } : {}) } });
}

describe("createOwnerResolver", () => {
  it("sends to the owner's DM when their email is a Slack user", async () => {
    const slack = fakeSlackApi({ users: { "ana@example.com": { id: "U04ANA0001" } } });
    const owners = createOwnerResolver({ slack, config });

    await expect(owners.resolve(findingOf("ana@example.com", "ml-platform"))).resolves.toEqual({
      channel: "D04ANA0001",
      userId: "U04ANA0001",
      via: "dm",
    });
    expect(slack.openDirectMessage).toHaveBeenCalledWith("U04ANA0001");
  });

  it("falls through to the team channel when nobody has that email", async () => {
    const slack = fakeSlackApi({});
    const owners = createOwnerResolver({ slack, config });

    await expect(owners.resolve(findingOf("gone@example.com", "ml-platform"))).resolves.toEqual({
      channel: "#team-ml-platform",
      via: "team",
    });
  });

  it("falls through to the default channel with no owner, or a team without a channel", async () => {
    const owners = createOwnerResolver({ slack: fakeSlackApi({}), config });

    await expect(owners.resolve(findingOf(undefined, undefined))).resolves.toEqual({
      channel: "#ml-janitor",
      via: "default",
    });
    await expect(owners.resolve(findingOf(undefined, "nlp"))).resolves.toEqual({
      channel: "#ml-janitor",
      via: "default",
    });
  });

  it("does not DM a deactivated user", async () => {
    const slack = fakeSlackApi({ users: { "left@example.com": { id: "U0LEFT", deleted: true } } });
    const owners = createOwnerResolver({ slack, config });

    await expect(owners.resolve(findingOf("left@example.com", "ml-platform"))).resolves.toMatchObject({
      via: "team",
    });
    expect(slack.openDirectMessage).not.toHaveBeenCalled();
  });

  it("looks each email up once per run, found or not, whatever its case", async () => {
    const slack = fakeSlackApi({ users: { "ana@example.com": { id: "U04ANA0001" } } });
    const owners = createOwnerResolver({ slack, config });

    await Promise.all([
      owners.resolve(findingOf("ana@example.com", undefined)),
      owners.resolve(findingOf("Ana@Example.com", undefined)),
      owners.resolve(findingOf("ana@example.com", undefined)),
    ]);
    await owners.resolve(findingOf("ghost@example.com", undefined));
    await owners.resolve(findingOf("ghost@example.com", undefined));

    expect(slack.lookupUserByEmail.mock.calls).toEqual([["ana@example.com"], ["ghost@example.com"]]);
    expect(slack.openDirectMessage).toHaveBeenCalledTimes(1);
  });

  it("lets other Slack errors propagate, and does not cache them", async () => {
    const slack = fakeSlackApi({ users: { "ana@example.com": { id: "U04ANA0001" } } });
    slack.lookupUserByEmail.mockRejectedValueOnce(new SlackApiError("users.lookupByEmail", "ratelimited"));
    const owners = createOwnerResolver({ slack, config });

    await expect(owners.resolve(findingOf("ana@example.com", "ml-platform"))).rejects.toMatchObject({
      code: "ratelimited",
    });
    await expect(owners.resolve(findingOf("ana@example.com", "ml-platform"))).resolves.toMatchObject({
      via: "dm",
    });
    expect(slack.lookupUserByEmail).toHaveBeenCalledTimes(2);
  });

  it("answers the owner's user id for authorization", async () => {
    const owners = createOwnerResolver({
      slack: fakeSlackApi({ users: { "ana@example.com": { id: "U04ANA0001" } } }),
      config,
    });

    await expect(owners.userIdFor("ana@example.com")).resolves.toBe("U04ANA0001");
    await expect(owners.userIdFor("nobody@example.com")).resolves.toBeUndefined();
  });
});
