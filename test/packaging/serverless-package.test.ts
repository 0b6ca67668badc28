/**
 * Packages the service with osls exactly as a deploy would (esbuild bundle, zip,
 * CloudFormation template), offline and without AWS credentials, then checks what would
 * be deployed: the scan function and its schedule, the table, the IAM role, the zip.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readZip } from "./read-zip.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// osls's own bin: serverless-step-functions pulls in `serverless@4` as a peer, whose bin
// needs a login and the network.
const OSLS_BIN = join(ROOT, "node_modules/osls/bin/serverless.js");
const STAGE = "test";
const SERVICE = "ml-janitor";
const PACKAGE_TIMEOUT_MS = 180_000;

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}
interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
}
interface Run {
  code: number | null;
  output: string;
}

let outDir = "";
let home = "";
let run: Run = { code: null, output: "not run" };

/** No AWS credentials, no ~/.aws, nothing that could reach an account. */
function offlineEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    TMPDIR: tmpdir(),
    AWS_SDK_LOAD_CONFIG: "0",
    AWS_CONFIG_FILE: join(home, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    // osls sends no telemetry; these keep it so should a future version or plugin start.
    SLS_TELEMETRY_DISABLED: "1",
    SLS_NOTIFICATIONS_MODE: "off",
    CI: "1",
    NO_COLOR: "1",
  };
}

function runPackage(): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [OSLS_BIN, "package", "--stage", STAGE, "--package", outDir], {
      cwd: ROOT,
      env: offlineEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), PACKAGE_TIMEOUT_MS - 5_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ code: null, output: `${output}\n${err.stack ?? err.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, output: signal ? `${output}\nkilled by ${signal}` : output });
    });
  });
}

/** Fails every test that needs the package; "packages the service" shows the command's output. */
function packaged(): string {
  if (run.code !== 0) {
    throw new Error(`\`osls package --stage ${STAGE}\` exited with ${run.code}: see "packages the service"`);
  }
  return outDir;
}

function template(): CfnTemplate {
  const file = join(packaged(), "cloudformation-template-update-stack.json");
  return JSON.parse(readFileSync(file, "utf8")) as CfnTemplate;
}

function resourcesOfType(t: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

function scanFunction(t: CfnTemplate): [string, CfnResource] {
  const found = resourcesOfType(t, "AWS::Lambda::Function").find(
    ([, r]) => r.Properties["Handler"] === "functions/scan.handler",
  );
  if (!found) throw new Error("no AWS::Lambda::Function with handler functions/scan.handler in the template");
  return found;
}

function table(t: CfnTemplate): CfnResource {
  const r = t.Resources["JanitorTable"];
  if (!r) throw new Error("no JanitorTable resource in the template");
  return r;
}

/** Every IAM policy statement anywhere in the template (role policies, managed policies, …). */
function allStatements(node: unknown, found: PolicyStatement[] = []): PolicyStatement[] {
  if (Array.isArray(node)) {
    for (const item of node) allStatements(item, found);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "Statement") found.push(...(Array.isArray(value) ? value : [value]));
      allStatements(value, found);
    }
  }
  return found;
}

function actionsOf(s: PolicyStatement): string[] {
  const a = s.Action ?? s.NotAction ?? [];
  return Array.isArray(a) ? a : [a];
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "ml-janitor-package-"));
  home = mkdtempSync(join(tmpdir(), "ml-janitor-home-"));
  run = await runPackage();
}, PACKAGE_TIMEOUT_MS);

afterAll(() => {
  for (const dir of [outDir, home]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("serverless package (offline, no credentials)", () => {
  it("packages the service", () => {
    expect(run.code, `\`osls package --stage ${STAGE}\` failed; its output:\n${run.output}`).toBe(0);
  });

  describe("scan function", () => {
    it("runs nodejs22.x on arm64 with room for a whole-account scan", () => {
      const [, fn] = scanFunction(template());
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        MemorySize: 2048,
        Timeout: 900,
      });
    });

    it("gets the table and the SSM parameter names, never secret values", () => {
      const [, fn] = scanFunction(template());
      const vars = (fn.Properties["Environment"] as { Variables: Record<string, unknown> }).Variables;
      expect(vars).toMatchObject({
        TABLE_NAME: { Ref: "JanitorTable" },
        JANITOR_CONFIG: "janitor.yml",
        SLACK_BOT_TOKEN_PARAM: `/${SERVICE}/${STAGE}/slack/bot-token`,
        SLACK_SIGNING_SECRET_PARAM: `/${SERVICE}/${STAGE}/slack/signing-secret`,
      });
      for (const [name, value] of Object.entries(vars)) {
        expect(JSON.stringify(value), `${name} looks like a Slack token`).not.toMatch(/xox[abprs]-/);
      }
    });

    it("is invoked by an EventBridge schedule with the Scheduled Event itself", () => {
      const t = template();
      const [fnId] = scanFunction(t);
      const rules = resourcesOfType(t, "AWS::Events::Rule").filter(([, r]) => {
        const targets = (r.Properties["Targets"] ?? []) as { Arn?: unknown }[];
        return targets.some(
          (target) => JSON.stringify(target.Arn) === JSON.stringify({ "Fn::GetAtt": [fnId, "Arn"] }),
        );
      });
      expect(rules, "an AWS::Events::Rule targeting the scan function").toHaveLength(1);
      const [ruleId, rule] = rules[0]!;
      expect(rule.Properties["ScheduleExpression"]).toMatch(/^(cron|rate)\(.+\)$/);
      expect(rule.Properties["Name"]).toBe(`${SERVICE}-${STAGE}-scan`);
      // The scan id comes from the event's scheduled `time`: an Input/InputTransformer would
      // replace the event the handler reads.
      const [target] = rule.Properties["Targets"] as Record<string, unknown>[];
      expect(Object.keys(target!).sort()).toEqual(["Arn", "Id"]);

      // Without this permission the rule fires into an AccessDenied nobody sees.
      const permissions = resourcesOfType(t, "AWS::Lambda::Permission").map(([, p]) => p.Properties);
      expect(permissions).toContainEqual(
        expect.objectContaining({
          Action: "lambda:InvokeFunction",
          Principal: "events.amazonaws.com",
          SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
        }),
      );
    });
  });

  describe("JanitorTable", () => {
    it("is on-demand, with TTL on expiresAt, point-in-time recovery, encryption, and retained", () => {
      const r = table(template());
      expect(r.Type).toBe("AWS::DynamoDB::Table");
      expect(r.DeletionPolicy).toBe("Retain");
      expect(r.Properties).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        // The full index list is TABLE_SCHEMA's to define (next test); the status index is the contract.
        GlobalSecondaryIndexes: expect.arrayContaining([
          {
            IndexName: "byStatus",
            KeySchema: [
              { AttributeName: "gsi1pk", KeyType: "HASH" },
              { AttributeName: "gsi1sk", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ]),
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it("matches TABLE_SCHEMA in shared/store/table-schema.ts (the table the local runtime creates)", async (ctx) => {
      const file = join(ROOT, "shared/store/table-schema.ts");
      if (!existsSync(file)) ctx.skip("shared/store/table-schema.ts does not exist yet: nothing to compare");
      const r = table(template());
      const mod = (await import(pathToFileURL(file).href)) as { TABLE_SCHEMA?: Record<string, unknown> };
      const schema = mod.TABLE_SCHEMA;
      expect(schema, "shared/store/table-schema.ts exports TABLE_SCHEMA").toBeDefined();
      const expected = tableShape(schema!);
      const actual = tableShape(r.Properties);
      // Billing mode and TTL are compared when TABLE_SCHEMA states them (CreateTable takes
      // TTL in a separate call, so a schema may well leave it out).
      for (const optional of ["BillingMode", "TimeToLiveAttribute"]) {
        if (!(optional in expected)) delete actual[optional];
      }
      expect(expected.KeySchema, "TABLE_SCHEMA.KeySchema").not.toEqual([]);
      expect(actual).toEqual(expected);
    });
  });

  describe("IAM", () => {
    it("allows no wildcard action anywhere in the template", () => {
      // Deny statements may use wildcards: osls's deployment bucket policy denies s3:* without TLS.
      const allows = allStatements(template()).filter((s) => s.Effect === "Allow");
      expect(allows.length).toBeGreaterThan(0);
      for (const s of allows) {
        const where = `statement ${s.Sid ?? JSON.stringify(s)}`;
        expect(s.NotAction, `${where}: Allow + NotAction grants everything else`).toBeUndefined();
        for (const action of actionsOf(s)) expect(action, where).not.toContain("*");
      }
    });

    it("reads exactly the two Slack parameters from SSM", () => {
      const s = allStatements(template()).filter((st) => actionsOf(st).some((a) => a.startsWith("ssm:")));
      const resources = JSON.stringify(s.map((st) => st.Resource));
      expect(resources).toContain(`:parameter/${SERVICE}/${STAGE}/slack/bot-token"`);
      expect(resources).toContain(`:parameter/${SERVICE}/${STAGE}/slack/signing-secret"`);
      expect(resources.match(/:parameter\/[^"]*/g)).toHaveLength(2);
    });

    it("grants the scan exactly what the detectors declare (ScanReadOnly = allDetectorPermissions())", async (ctx) => {
      const file = join(ROOT, "shared/detectors/registry.ts");
      if (!existsSync(file)) ctx.skip("shared/detectors/registry.ts does not exist yet: nothing to compare");
      const scanReadOnly = allStatements(template()).filter((s) => s.Sid === "ScanReadOnly");
      expect(scanReadOnly, "one statement with Sid ScanReadOnly").toHaveLength(1);
      const mod = (await import(pathToFileURL(file).href)) as { allDetectorPermissions?: () => string[] };
      expect(mod.allDetectorPermissions, "registry.ts exports allDetectorPermissions()").toBeTypeOf(
        "function",
      );
      const declared = [...new Set(mod.allDetectorPermissions!())].sort();
      expect([...actionsOf(scanReadOnly[0]!)].sort()).toEqual(declared);
    });

    it("grants cost watch exactly costWatchPermissions (Sid CostWatch)", async () => {
      const { costWatchPermissions } = await import("../../shared/cost/permissions.ts");
      const costWatch = allStatements(template()).filter((s) => s.Sid === "CostWatch");
      expect(costWatch, "one statement with Sid CostWatch").toHaveLength(1);
      expect([...actionsOf(costWatch[0]!)].sort()).toEqual([...costWatchPermissions].sort());
    });
  });

  describe("cleanup workflow", () => {
    it("deploys the state machine from shared/workflow/cleanup.asl.json with its Lambdas by GetAtt", () => {
      const t = template();
      const machine = t.Resources["CleanupStateMachine"];
      expect(machine?.Type).toBe("AWS::StepFunctions::StateMachine");
      const text = JSON.stringify(machine!.Properties);
      for (const fn of [
        "NotifyLambdaFunction",
        "RecheckLambdaFunction",
        "ActLambdaFunction",
        "ReportLambdaFunction",
      ]) {
        expect(t.Resources[fn]?.Type, fn).toBe("AWS::Lambda::Function");
        expect(text, fn).toContain(fn);
      }
      expect(text).toContain("waitForTaskToken");
      const scanEnv = (scanFunction(t)[1].Properties["Environment"] as { Variables: Record<string, unknown> })
        .Variables;
      expect(scanEnv["STATE_MACHINE_ARN"]).toEqual({ Ref: "CleanupStateMachine" });
    });

    it("exposes the Slack interactions endpoint over an HTTP API", () => {
      const t = template();
      const route = Object.values(t.Resources).find((r) => r.Type === "AWS::ApiGatewayV2::Route");
      expect(route?.Properties["RouteKey"]).toBe("POST /slack/interactions");
    });

    it("grants the workflow exactly what the actions declare, PassRole only to SageMaker", async () => {
      const { allActionPermissions } = await import("../../shared/actions/registry.ts");
      const statements = allStatements(template());
      const actions = statements.filter((s) => s.Sid === "CleanupActions");
      expect(actions).toHaveLength(1);
      const expected = allActionPermissions().filter((a) => a !== "iam:PassRole");
      expect([...actionsOf(actions[0]!)].sort()).toEqual(expected);
      const passRole = statements.find((s) => s.Sid === "RestorePassRole") as
        | (PolicyStatement & { Condition?: unknown })
        | undefined;
      expect(passRole?.Condition).toEqual({
        StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" },
      });
    });
  });

  describe("store permissions", () => {
    it("grants the table exactly what the store uses (JanitorTable = STORE_PERMISSIONS)", async () => {
      const { STORE_PERMISSIONS } = await import("../../shared/store/dynamo-store.ts");
      const table = allStatements(template()).filter((s) => s.Sid === "JanitorTable");
      expect(table).toHaveLength(1);
      expect([...actionsOf(table[0]!)].sort()).toEqual([...STORE_PERMISSIONS].sort());
    });
  });

  describe("scan.zip", () => {
    function scanZip(): Map<string, Buffer> {
      const [, fn] = scanFunction(template());
      const key = (fn.Properties["Code"] as { S3Key: string }).S3Key;
      return readZip(join(packaged(), basename(key)));
    }

    it("holds the bundled ESM handler, its source map and janitor.yml, nothing else", () => {
      const files = scanZip();
      expect([...files.keys()].sort()).toEqual([
        "functions/scan.mjs",
        "functions/scan.mjs.map",
        "janitor.yml",
      ]);
      expect(files.get("janitor.yml")!.equals(readFileSync(join(ROOT, "janitor.yml")))).toBe(true);
    });

    it("is self-contained: the AWS SDK and every other package bundled, only Node built-ins imported", () => {
      const bundle = scanZip().get("functions/scan.mjs")!.toString("utf8");
      // CommonJS dependencies inside an ESM bundle need a real `require` for Node built-ins.
      expect(bundle.split("\n", 1)[0]).toMatch(/createRequire.*import\.meta\.url/);
      const specifiers = [
        ...bundle.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm),
        ...bundle.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
        ...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ].map((m) => m[1]!);
      const builtins = new Set(builtinModules);
      const external = specifiers.filter((s) => !s.startsWith("node:") && !builtins.has(s));
      expect(specifiers.length, "the bundle's imports were found").toBeGreaterThan(0);
      expect(external, "imports left for the Lambda runtime to resolve").toEqual([]);
    });

    it("loads in plain Node from the unzipped package and exports handler", () => {
      const dir = join(packaged(), "unzipped-scan");
      for (const [name, data] of scanZip()) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), data);
      }
      // ESM eval, so no CommonJS `require` leaks in (plain `node -e` would define one).
      const loaded = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          "const m = await import(process.argv[1]); console.log(typeof m.handler);",
          pathToFileURL(join(dir, "functions/scan.mjs")).href,
        ],
        { cwd: dir, env: offlineEnv(), encoding: "utf8", timeout: 30_000 },
      );
      expect(loaded.stdout.trim(), `node output:\n${loaded.stdout}\n${loaded.stderr}`).toBe("function");
    });
  });
});

/** The parts of a table definition that both CloudFormation and CreateTable spell the same way. */
function tableShape(def: Record<string, unknown>): Record<string, unknown> {
  type Key = { AttributeName: string; KeyType: string };
  type Attr = { AttributeName: string; AttributeType: string };
  type Gsi = { IndexName: string; KeySchema: Key[]; Projection?: { ProjectionType?: string } };
  const keys = (k: Key[] = []) =>
    [...k].sort((a, b) => a.KeyType.localeCompare(b.KeyType)).map((x) => `${x.AttributeName}:${x.KeyType}`);
  const ttl =
    (def["TimeToLiveAttribute"] as string | undefined) ??
    (def["TimeToLiveSpecification"] as { AttributeName?: string } | undefined)?.AttributeName;
  return {
    KeySchema: keys(def["KeySchema"] as Key[]),
    AttributeDefinitions: ((def["AttributeDefinitions"] ?? []) as Attr[])
      .map((a) => `${a.AttributeName}:${a.AttributeType}`)
      .sort(),
    GlobalSecondaryIndexes: ((def["GlobalSecondaryIndexes"] ?? []) as Gsi[])
      .map((g) => ({
        IndexName: g.IndexName,
        KeySchema: keys(g.KeySchema),
        Projection: g.Projection?.ProjectionType,
      }))
      .sort((a, b) => a.IndexName.localeCompare(b.IndexName)),
    ...(def["BillingMode"] ? { BillingMode: def["BillingMode"] } : {}),
    ...(ttl ? { TimeToLiveAttribute: ttl } : {}),
  };
}
