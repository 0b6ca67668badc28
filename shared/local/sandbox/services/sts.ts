import type { QueryService, SandboxContext } from "../service.ts";

/** The unique id AWS reports: role sessions are `AROA…:session`, users `AIDA…`. */
function userId(ctx: SandboxContext): string {
  const arn = ctx.scenario.callerArn;
  const session = /:assumed-role\/[^/]+\/(.+)$/.exec(arn)?.[1];
  const stable = Buffer.from(arn).toString("hex").toUpperCase().slice(0, 17).padEnd(17, "0");
  return session ? `AROA${stable}:${session}` : `AIDA${stable}`;
}

export const sts: QueryService = {
  name: "STS",
  signingName: "sts",
  protocol: "awsQuery",
  version: "2011-06-15",
  xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  errors: {
    throttle: { code: "Throttling", status: 400 },
    fault: { code: "InternalFailure", status: 500 },
    unknownOperation: { code: "InvalidAction", status: 400 },
    validation: { code: "ValidationError", status: 400 },
  },
  operations: {
    GetCallerIdentity: (_params, ctx) => ({
      UserId: userId(ctx),
      Account: ctx.scenario.accountId,
      Arn: ctx.scenario.callerArn,
    }),
  },
};
