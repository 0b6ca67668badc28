/**
 * SSM Parameter Store (AWS JSON 1.1, `AmazonSSM.*`), just GetParameter(s): where the handlers
 * read the Slack secrets, as they do in AWS. Not a default service: the local runtime adds it
 * with the parameters it wants served.
 */
import { SandboxError } from "../errors.ts";
import type { JsonService } from "../service.ts";

export function ssmService(
  parameters: Map<string, string>,
  region = "us-east-1",
  accountId = "123456789012",
): JsonService {
  const describe = (name: string) => ({
    Name: name,
    Type: "SecureString",
    Value: parameters.get(name)!,
    Version: 1,
    ARN: `arn:aws:ssm:${region}:${accountId}:parameter${name}`,
    DataType: "text",
  });
  return {
    name: "SSM",
    signingName: "ssm",
    protocol: "awsJson1_1",
    target: "AmazonSSM",
    errors: {
      throttle: { code: "ThrottlingException", status: 400 },
      fault: { code: "InternalServerError", status: 500 },
      unknownOperation: { code: "UnknownOperationException", status: 400 },
      validation: { code: "ValidationException", status: 400 },
    },
    operations: {
      GetParameter: (input) => {
        const name = String(input.Name ?? "");
        if (!parameters.has(name))
          throw new SandboxError("ParameterNotFound", `Parameter ${name} not found.`, 400);
        return { Parameter: describe(name) };
      },
      GetParameters: (input) => {
        const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
        return {
          Parameters: names.filter((n) => parameters.has(n)).map(describe),
          InvalidParameters: names.filter((n) => !parameters.has(n)),
        };
      },
    },
  };
}
