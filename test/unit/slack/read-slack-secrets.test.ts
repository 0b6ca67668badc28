import { beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../shared/errors.ts";
import { clearSlackSecretsCache, readSlackSecrets } from "../../../shared/slack/read-slack-secrets.ts";

const params = {
  tokenParam: "/ml-janitor/dev/slack/bot-token",
  signingSecretParam: "/ml-janitor/dev/slack/signing-secret",
};
const VALUES: Record<string, string> = {
  "/ml-janitor/dev/slack/bot-token": "xoxb-1-2-3",
  "/ml-janitor/dev/slack/signing-secret": "s3cr3t",
};

describe("readSlackSecrets", () => {
  beforeEach(() => clearSlackSecretsCache());

  it("reads both parameters once per container", async () => {
    const get = vi.fn(async (name: string) => VALUES[name]);

    await expect(readSlackSecrets(get, params)).resolves.toEqual({
      botToken: "xoxb-1-2-3",
      signingSecret: "s3cr3t",
    });
    await readSlackSecrets(vi.fn(), params);

    expect(get).toHaveBeenCalledTimes(2);
  });

  it("names an empty parameter without showing any value, and tries again next time", async () => {
    const empty = vi.fn(async (name: string) => (name.endsWith("signing-secret") ? "" : VALUES[name]));

    const err = await readSlackSecrets(empty, params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      "SSM parameter /ml-janitor/dev/slack/signing-secret is empty or missing",
    );
    expect((err as Error).message).not.toContain("xoxb");
    await expect(readSlackSecrets(async (name) => VALUES[name], params)).resolves.toMatchObject({
      signingSecret: "s3cr3t",
    });
  });
});
