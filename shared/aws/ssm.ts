import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";

/** Reads a SecureString parameter, decrypted. Secrets never travel in environment variables. */
export async function getSecureParameter(client: SSMClient, name: string): Promise<string> {
  const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = out.Parameter?.Value;
  if (!value) throw new Error(`SSM parameter ${name} is empty`);
  return value;
}
