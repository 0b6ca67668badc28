import { SandboxError } from "../../errors.ts";

/**
 * CloudWatch speaks awsJson 1.0 but keeps its query-era error codes: the code travels in
 * `x-amzn-query-error` and the SDK maps it back to the modelled `…Exception` class.
 */
export const invalidParameterValue = (message: string) =>
  new SandboxError("InvalidParameterValue", message, 400, "InvalidParameterValueException");

export const invalidParameterCombination = (message: string) =>
  new SandboxError("InvalidParameterCombination", message, 400, "InvalidParameterCombinationException");

export const missingParameter = (message: string) =>
  new SandboxError("MissingParameter", message, 400, "MissingRequiredParameterException");

/** Model-level constraint violations (sizes, patterns) are plain `ValidationError`. */
export const validationError = (message: string) =>
  new SandboxError("ValidationError", message, 400, "ValidationException");
