/**
 * "It is not there" as each service says it. SageMaker mostly answers a missing resource with
 * a plain `ValidationException` whose message varies by API ("Could not find endpoint …",
 * "RecordNotFound" for notebook instances, "Requested resource not found." for jobs); some
 * APIs (apps, and jobs in the model) use `ResourceNotFound`. EC2 has one code per resource kind.
 * No SDK error class covers these, so we match on `name` and message.
 */

const SAGEMAKER_MISSING = /could not find|does not exist|not found|RecordNotFound/i;

function nameAndMessage(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: "", message: "" };
}

export function isSageMakerNotFound(err: unknown): boolean {
  const { name, message } = nameAndMessage(err);
  if (name === "ResourceNotFound") return true;
  return name === "ValidationException" && SAGEMAKER_MISSING.test(message);
}

/** `InvalidInstanceID.NotFound` (and the malformed-id variant, which cannot exist either). */
export function isEc2InstanceNotFound(err: unknown): boolean {
  const { name } = nameAndMessage(err);
  return name === "InvalidInstanceID.NotFound" || name === "InvalidInstanceID.Malformed";
}

/** A create that lost a race: "Cannot create already existing endpoint …", or ResourceInUse for apps. */
export function isSageMakerAlreadyExists(err: unknown): boolean {
  const { name, message } = nameAndMessage(err);
  if (name === "ResourceInUse") return true;
  return name === "ValidationException" && /already exist/i.test(message);
}

/** Runs a describe call; a "not found" answer becomes `undefined`, anything else is thrown. */
export async function unlessMissing<T>(
  call: () => Promise<T>,
  missing: (err: unknown) => boolean,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (missing(err)) return undefined;
    throw err;
  }
}
