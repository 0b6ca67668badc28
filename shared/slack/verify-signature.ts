/**
 * Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `v0=` + hex HMAC-SHA256(signing secret, `v0:${timestamp}:${rawBody}`), over the raw body as
 * received — before anything parses it. The timestamp must be within five minutes of `now`
 * either way: an old one is a replay, a far-future one would otherwise stay replayable.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { ConfigError, SignatureError } from "../errors.ts";

export const SIGNATURE_VERSION = "v0";
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface SignInput {
  signingSecret: string;
  timestamp: string | number;
  rawBody: string | Buffer;
}

export interface VerifyInput {
  signingSecret: string;
  /** The `X-Slack-Request-Timestamp` header (epoch seconds). */
  timestamp: string | undefined;
  /** The `X-Slack-Signature` header. */
  signature: string | undefined;
  rawBody: string | Buffer;
  now: Date;
}

/** The `X-Slack-Signature` value Slack would send for this body: for the local demo and tests. */
export function signSlackRequest({ signingSecret, timestamp, rawBody }: SignInput): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`${SIGNATURE_VERSION}:${timestamp}:`);
  hmac.update(rawBody);
  return `${SIGNATURE_VERSION}=${hmac.digest("hex")}`;
}

/** Throws SignatureError (opaque message, `reason` for logs) unless the request is Slack's and fresh. */
export function verifySlackSignature({
  signingSecret,
  timestamp,
  signature,
  rawBody,
  now,
}: VerifyInput): void {
  if (!signingSecret) throw new ConfigError("the Slack signing secret is empty");
  if (!timestamp || !signature) throw new SignatureError("missing");
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError("malformed");
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > MAX_CLOCK_SKEW_SECONDS) throw new SignatureError("stale");

  const expected = Buffer.from(signSlackRequest({ signingSecret, timestamp, rawBody }), "utf8");
  const received = Buffer.from(signature, "utf8");
  // timingSafeEqual throws on different lengths; the length of a valid signature is public anyway.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new SignatureError("mismatch");
  }
}
