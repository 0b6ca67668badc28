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
