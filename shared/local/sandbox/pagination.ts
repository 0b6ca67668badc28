import { SandboxError } from "./errors.ts";

/**
 * Opaque pagination tokens. They carry the operation and an offset into the (stably
 * sorted) result, base64url-encoded so callers cannot build or reuse them across
 * operations — as with AWS, a token is only good for the call that produced it.
 */
interface TokenBody {
  op: string;
  offset: number;
}

export function encodeToken(op: string, offset: number): string {
  return Buffer.from(JSON.stringify({ op, offset } satisfies TokenBody)).toString("base64url");
}

export function decodeToken(token: string, op: string, errorCode: string): number {
  try {
    const body = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<TokenBody>;
    if (body.op === op && typeof body.offset === "number" && body.offset >= 0) return body.offset;
  } catch {
    // fall through to the error below: a garbled token is as invalid as a foreign one
  }
  throw new SandboxError(errorCode, `The pagination token is invalid for ${op}.`);
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Slices one page out of `all`; `nextToken` is absent on the last page. */
export function pageOf<T>(
  all: readonly T[],
  op: string,
  size: number,
  token: string | undefined,
  errorCode: string,
): Page<T> {
  const offset = token ? decodeToken(token, op, errorCode) : 0;
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return next < all.length ? { items, nextToken: encodeToken(op, next) } : { items };
}
