import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { AwsAccessError } from "../errors.ts";

/** The account the credentials belong to; fails with a readable message when there are none. */
export async function callerAccount(sts: STSClient): Promise<{ accountId: string; arn: string }> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: out.Account ?? "unknown", arn: out.Arn ?? "unknown" };
  } catch (err) {
    const name = (err as Error).name;
    const hint =
      name === "CredentialsProviderError"
        ? "no AWS credentials found (set AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)"
        : `cannot identify the AWS account: ${(err as Error).message}`;
    throw new AwsAccessError(hint, { cause: err });
  }
}
