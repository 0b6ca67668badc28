/**
 * The Slack bot token and signing secret, read from SSM Parameter Store (SecureString) once per
 * container: the first invocation pays the read, later ones reuse it. A failed read is not
 * cached, so the next invocation tries again.
 */
import { ConfigError } from "../errors.ts";

export interface SlackSecrets {
  botToken: string;
  signingSecret: string;
}

/** Reads one SecureString parameter, decrypted (the caller builds it on shared/aws). */
export type SsmGetter = (parameterName: string) => Promise<string | undefined>;

export interface SlackSecretParams {
  tokenParam: string;
  signingSecretParam: string;
}

// Keyed by parameter names, not by getter: a handler that builds its getter per invocation still hits the cache.
const cache = new Map<string, Promise<SlackSecrets>>();

async function readOne(get: SsmGetter, name: string): Promise<string> {
  const value = (await get(name))?.trim();
  // Name the parameter, never the value.
  if (!value) throw new ConfigError(`SSM parameter ${name} is empty or missing`);
  return value;
}

export function readSlackSecrets(get: SsmGetter, params: SlackSecretParams): Promise<SlackSecrets> {
  const key = `${params.tokenParam}\n${params.signingSecretParam}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const reading = Promise.all([
    readOne(get, params.tokenParam),
    readOne(get, params.signingSecretParam),
  ]).then(([botToken, signingSecret]) => ({ botToken, signingSecret }));
  cache.set(key, reading);
  reading.catch(() => cache.delete(key));
  return reading;
}

/** For tests: forget what was read. */
export function clearSlackSecretsCache(): void {
  cache.clear();
}
