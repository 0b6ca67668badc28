import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignatureError } from "../../../shared/errors.ts";
import { signSlackRequest, verifySlackSignature } from "../../../shared/slack/verify-signature.ts";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = new Date("2026-11-23T14:00:00Z");
const TS = String(NOW.getTime() / 1000);
const BODY = "payload=%7B%22type%22%3A%22block_actions%22%7D";

function verify(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  return () =>
    verifySlackSignature({
      signingSecret: SECRET,
      timestamp: TS,
      signature: signSlackRequest({ signingSecret: SECRET, timestamp: TS, rawBody: BODY }),
      rawBody: BODY,
      now: NOW,
      ...overrides,
    });
}

function reason(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SignatureError) {
      expect(err.message).toBe("invalid Slack request signature");
      return err.reason;
    }
    throw err;
  }
  return undefined;
}

describe("signSlackRequest", () => {
  it("matches Slack's documented recipe: v0= + hex HMAC-SHA256 of v0:timestamp:body", () => {
    const expected = `v0=${createHmac("sha256", SECRET).update(`v0:${TS}:${BODY}`).digest("hex")}`;

    expect(signSlackRequest({ signingSecret: SECRET, timestamp: TS, rawBody: BODY })).toBe(expected);
    expect(
      signSlackRequest({ signingSecret: SECRET, timestamp: Number(TS), rawBody: Buffer.from(BODY) }),
    ).toBe(expected);
  });
});

describe("verifySlackSignature", () => {
  it("accepts a fresh request signed with the secret", () => {
    expect(verify()).not.toThrow();
  });

  it("accepts the edges of the five-minute window", () => {
    const old = String(Number(TS) - 300);
    const ahead = String(Number(TS) + 300);

    for (const timestamp of [old, ahead]) {
      const signature = signSlackRequest({ signingSecret: SECRET, timestamp, rawBody: BODY });
      expect(verify({ timestamp, signature })).not.toThrow();
    }
  });

  it("rejects a signature made with another secret", () => {
    const forged = signSlackRequest({ signingSecret: "not-the-secret", timestamp: TS, rawBody: BODY });

    expect(reason(verify({ signature: forged }))).toBe("mismatch");
  });

  it("rejects a tampered body", () => {
    expect(reason(verify({ rawBody: `${BODY}x` }))).toBe("mismatch");
  });

  it("rejects a request older than five minutes, even correctly signed (a replay)", () => {
    const timestamp = String(Number(TS) - 301);
    const signature = signSlackRequest({ signingSecret: SECRET, timestamp, rawBody: BODY });

    expect(reason(verify({ timestamp, signature }))).toBe("stale");
  });

  it("rejects a timestamp from the future", () => {
    const timestamp = String(Number(TS) + 3600);
    const signature = signSlackRequest({ signingSecret: SECRET, timestamp, rawBody: BODY });

    expect(reason(verify({ timestamp, signature }))).toBe("stale");
  });

  it.each(["", "abc", "1.5e9", "-1", " 1795442400", "17954424000000000"])(
    "rejects the non-numeric timestamp %j",
    (timestamp) => {
      expect(reason(verify({ timestamp }))).toMatch(/missing|malformed/);
    },
  );

  it("rejects missing headers", () => {
    expect(reason(verify({ signature: undefined }))).toBe("missing");
    expect(reason(verify({ timestamp: undefined }))).toBe("missing");
  });

  it.each(["v0=abc", `v0=${"0".repeat(65)}`, "", "v1=" + "0".repeat(64)])(
    "rejects the wrong-length or wrong-version signature %j",
    (signature) => {
      expect(reason(verify({ signature }))).toMatch(/missing|mismatch/);
    },
  );

  it("refuses to run without a secret rather than accept anything", () => {
    expect(verify({ signingSecret: "" })).toThrow(/signing secret is empty/);
  });
});
