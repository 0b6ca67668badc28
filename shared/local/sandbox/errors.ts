import { JanitorError } from "../../errors.ts";

/**
 * Errors the sandbox answers with. A handler throws them; the protocol layer turns them
 * into the wire shape the real service uses, so SDK clients see the same `err.name`.
 */
export class SandboxError extends Error {
  constructor(
    /** The AWS error code, e.g. `ValidationException`, `InvalidInstanceID.NotFound`. */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** awsJson `__type` when it differs from the query code (CloudWatch's query-compatible errors). */
    readonly jsonType?: string,
  ) {
    super(message);
    this.name = "SandboxError";
  }

  /** Query protocols say who is to blame; 5xx is the service's fault. */
  get blame(): "Sender" | "Receiver" {
    return this.status >= 500 ? "Receiver" : "Sender";
  }
}

/**
 * A malformed or out-of-range input. Each service maps it to its own validation code
 * (SageMaker `ValidationException`, CloudWatch `ValidationError`, EC2 `InvalidParameterValue`…),
 * so shared input readers need not know which service they serve.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** AWS's model-validation wording, which callers sometimes match on. */
export function constraintMessage(field: string, value: unknown, constraint: string): string {
  const name = field.charAt(0).toLowerCase() + field.slice(1);
  return `1 validation error detected: Value '${String(value)}' at '${name}' failed to satisfy constraint: ${constraint}`;
}

/** A scenario file that does not parse or does not hang together; the message names the path. */
export class ScenarioError extends JanitorError {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}
