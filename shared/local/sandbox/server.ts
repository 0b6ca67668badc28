import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { readBody } from "../read-body.ts";
import { InputError, SandboxError } from "./errors.ts";
import { KnobState } from "./knobs.ts";
import { parseJsonBody, writeJson, writeJsonError } from "./protocol/json.ts";
import { parseForm, writeEc2, writeEc2Error, writeQuery, writeQueryError } from "./protocol/query.ts";
import { routeJson, routeQuery } from "./router.ts";
import type { ErrorSpec, SandboxContext, ServiceDef } from "./service.ts";
import { defaultServices } from "./services/index.ts";
import { isS3Request, S3_SERVICE, serveS3 } from "./services/s3/index.ts";
import type { SandboxKnobs, Scenario } from "./types.ts";

export interface Sandbox {
  url: string;
  port: number;
  /** The live world; handlers read it on every call, so mutations (and reassignment) show. */
  scenario: Scenario;
  /** Calls per "<Service>.<Operation>" (throttled and faulted ones included), plus "throttled" and "faulted" totals. */
  counts(): Record<string, number>;
  resetCounts(): void;
  setKnobs(k: Partial<SandboxKnobs>): void;
  close(): Promise<void>;
}

export interface StartSandboxOptions {
  scenario: Scenario;
  knobs?: Partial<SandboxKnobs>;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Extra services (e.g. Step Functions) served alongside the built-in ones. */
  services?: ServiceDef[];
  /**
   * The object store (s3rver's URL) behind the sandbox's S3: object calls are proxied there,
   * counted and knobbed here. Without it only the control-plane S3 calls are answered.
   */
  s3Upstream?: string;
}

const toError = (spec: ErrorSpec, message: string) =>
  new SandboxError(spec.code, message, spec.status, spec.jsonType);

/** A call the router could not place: answered like AWS's front door, as JSON. */
const UNROUTABLE: ErrorSpec = { code: "UnknownOperationException", status: 400 };

export async function startSandbox(opts: StartSandboxOptions): Promise<Sandbox> {
  const services = [...defaultServices, ...(opts.services ?? [])];
  const knobs = new KnobState(opts.knobs);
  const counts = new Map<string, number>();
  const startedAt = Date.now();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  const sandbox: Sandbox = {
    url: "",
    port: 0,
    scenario: opts.scenario,
    counts: () => Object.fromEntries(counts),
    resetCounts: () => counts.clear(),
    setKnobs: (k) => knobs.set(k),
    close: () => Promise.resolve(),
  };

  const context = (): SandboxContext => ({
    scenario: sandbox.scenario,
    now: sandbox.scenario.now + (Date.now() - startedAt),
  });

  /** Counts the call and applies latency and the throttle/fault dice. */
  async function gate(service: ServiceDef, operation: string): Promise<void> {
    const key = `${service.name}.${operation}`;
    bump(key);
    const { latencyMs } = knobs.current;
    if (latencyMs > 0) await sleep(latencyMs);
    const verdict = knobs.decide(key);
    if (verdict === "throttle") {
      bump("throttled");
      throw toError(service.errors.throttle, "Rate exceeded");
    }
    if (verdict === "fault") {
      bump("faulted");
      throw toError(service.errors.fault, "We encountered an internal error. Please try again.");
    }
  }

  /** Gates the call, then runs the handler. */
  async function invoke(
    service: ServiceDef,
    operation: string,
    run: (ctx: SandboxContext) => unknown,
  ): Promise<unknown> {
    await gate(service, operation);
    const key = `${service.name}.${operation}`;
    if (!Object.hasOwn(service.operations, operation)) {
      throw toError(service.errors.unknownOperation, `The sandbox does not implement ${key}.`);
    }
    try {
      return await run(context());
    } catch (err) {
      if (err instanceof SandboxError) throw err;
      if (err instanceof InputError) throw toError(service.errors.validation, err.message);
      throw toError(service.errors.fault, `Sandbox handler failed: ${(err as Error).message}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    // S3 is REST: its bodies are streamed (objects to s3rver), never read here.
    if (isS3Request(req)) {
      await serveS3(req, res, {
        requestId,
        gate: (operation) => gate(S3_SERVICE, operation),
        context,
        ...(opts.s3Upstream !== undefined && { upstream: opts.s3Upstream }),
      });
      return;
    }
    const body = await readBody(req);
    const target = req.headers["x-amz-target"];
    if (typeof target === "string") {
      const routed = routeJson(services, target);
      if (!routed) {
        bump(`Unknown.${target}`);
        writeJsonError(res, "1.1", requestId, toError(UNROUTABLE, `Unknown target ${target}.`), false);
        return;
      }
      const { service, operation } = routed;
      const version = service.protocol === "awsJson1_0" ? "1.0" : "1.1";
      try {
        const out = await invoke(service, operation, (ctx) => {
          const handler = service.operations[operation]!;
          return handler(parseJsonBody(body), ctx);
        });
        writeJson(res, version, requestId, out);
      } catch (err) {
        writeJsonError(res, version, requestId, err as SandboxError, service.queryCompatible === true);
      }
      return;
    }

    const params = parseForm(body);
    const action = params.get("Action") ?? "";
    const service = routeQuery(services, req.headers, params);
    if (!service) {
      bump(`Unknown.${action || "Request"}`);
      writeJsonError(
        res,
        "1.1",
        requestId,
        toError(UNROUTABLE, "The sandbox could not route this request."),
        false,
      );
      return;
    }
    try {
      const out = await invoke(service, action, (ctx) => service.operations[action]!(params, ctx));
      if (service.protocol === "ec2Query") writeEc2(res, action, service.xmlNamespace, requestId, out);
      else writeQuery(res, action, service.xmlNamespace, requestId, out);
    } catch (err) {
      const e = err as SandboxError;
      if (service.protocol === "ec2Query") writeEc2Error(res, requestId, e);
      else writeQueryError(res, service.xmlNamespace, requestId, e);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Only a broken socket gets here; the handler paths answer every error themselves.
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  sandbox.port = port;
  sandbox.url = `http://127.0.0.1:${port}`;
  sandbox.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // SDK clients keep connections alive; without this close() would wait for them.
      server.closeAllConnections();
    });
  return sandbox;
}
