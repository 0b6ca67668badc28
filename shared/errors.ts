/**
 * One error hierarchy. Lambdas called by Step Functions throw these so Retry/Catch can
 * match on `name`; only the HTTP handler maps them to status codes.
 */
export class JanitorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The janitor.yml (or an environment variable) is invalid. */
export class ConfigError extends JanitorError {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/** AWS could not be reached or refused us (credentials, permissions, endpoint). */
export class AwsAccessError extends JanitorError {}

/** A detector failed; the scan reports it and carries on with the others. */
export class DetectorError extends JanitorError {
  constructor(
    readonly detector: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A conditional write found the record already there: the work was done before. */
export class AlreadyRecordedError extends JanitorError {}

/** The store could not be read or written. */
export class StoreError extends JanitorError {}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * A Slack request failed signature verification. The message is deliberately opaque (the HTTP
 * answer is a bare 401); `reason` is for our logs only: it tells clock skew from a wrong secret.
 */
export class SignatureError extends JanitorError {
  constructor(readonly reason: "missing" | "malformed" | "stale" | "mismatch") {
    super("invalid Slack request signature");
  }
}

/** A request body we cannot use (bad encoding, wrong shape, unknown action): answered with 400, changes nothing. */
export class MalformedRequestError extends JanitorError {}

/**
 * A Slack Web API call failed. `code` is Slack's error string (`users_not_found`,
 * `channel_not_found`, …), or `ratelimited`, `http_error`, `request_failed`, `invalid_response`.
 */
export class SlackApiError extends JanitorError {
  /** Set when Slack rate-limited the call (HTTP 429 Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly method: string,
    readonly code: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(`Slack ${method} failed: ${code}`, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/**
 * A resource was in a state the action (or restore) may not start from, e.g. an endpoint
 * still `Updating` or a notebook `Pending`. Nothing was changed; the state machine matches on
 * the name (it may retry later or report), and `state` says what was found.
 */
export class InvalidStateError extends JanitorError {
  constructor(
    readonly resource: string,
    readonly state: string,
    readonly validStates: readonly string[],
    message = `${resource} is ${state}; expected one of ${validStates.join(", ")}`,
  ) {
    super(message);
  }
}

/** An undo record lacks what its restore needs (written by an older version, or edited by hand). */
export class InvalidUndoRecordError extends JanitorError {}

/** A finding does not say clearly which resource it is about (malformed ARN, unknown app type): nothing is done. */
export class UnknownResourceError extends JanitorError {}

/** The workflow was asked for an action no registered action implements for that resource type. */
export class UnsupportedActionError extends JanitorError {}

/**
 * An EBS snapshot taken before a delete is not complete yet: nothing was deleted. The state
 * machine retries the Act step later (the action finds and reuses the same snapshot).
 */
export class SnapshotPendingError extends JanitorError {}
