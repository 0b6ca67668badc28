/**
 * `janitor notebooks install-heartbeat`: puts the activity heartbeat (shared/notebooks/heartbeat.sh)
 * into a notebook-instance lifecycle configuration and attaches it to notebook instances.
 *
 * AWS changes a notebook instance's lifecycle configuration only while the instance is Stopped,
 * and we never stop anyone's notebook for them: a running instance is left alone with the steps
 * to take; a stopped one gets the config, which runs at its next start. An instance that already
 * has another lifecycle config keeps it (an instance has only one): we say how to merge.
 */
import { AwsClients } from "../../aws/clients.ts";
import {
  attachLifecycleConfig,
  describeNotebookInstance,
  lifecycleConfigOnStart,
  listNotebookInstances,
  type NotebookSummary,
  putLifecycleConfig,
} from "../../aws/notebooks.ts";
import { AwsAccessError, errorMessage } from "../../errors.ts";
import { heartbeatHookContent } from "../../notebooks/heartbeat-script.ts";

export const DEFAULT_CONFIG_NAME = "ml-janitor-heartbeat";

export interface InstallHeartbeatOptions {
  notebook?: string;
  all?: boolean;
  dryRun?: boolean;
  configName?: string;
}

export type HeartbeatPlan = { kind: "attach"; message: string } | { kind: "skip"; message: string };

/** What to do for one instance, and the sentence that says so (pure: tests call it directly). */
export function planHeartbeat(n: NotebookSummary, configName: string): HeartbeatPlan {
  if (n.lifecycleConfigName === configName) {
    return { kind: "skip", message: `${n.name}: already uses ${configName}` };
  }
  if (n.lifecycleConfigName) {
    return {
      kind: "skip",
      message:
        `${n.name}: has its own lifecycle config "${n.lifecycleConfigName}", left as it is (an instance has only one). ` +
        `To add the heartbeat, append shared/notebooks/heartbeat.sh to that config's OnStart script (docs/notebook-heartbeat.md).`,
    };
  }
  if (n.status === "Stopped" || n.status === "Failed") {
    return {
      kind: "attach",
      message: `${n.name}: ${configName} attached; the heartbeat starts at its next start`,
    };
  }
  if (n.status === "InService") {
    return {
      kind: "skip",
      message:
        `${n.name}: InService, left running. AWS attaches a lifecycle config only to a stopped instance, and the janitor ` +
        `does not stop it for you. When convenient: aws sagemaker stop-notebook-instance --notebook-instance-name ${n.name}, ` +
        `then janitor notebooks install-heartbeat --notebook ${n.name}; the heartbeat starts at the next start.`,
    };
  }
  return {
    kind: "skip",
    message: `${n.name}: ${n.status}; run this again once it is Stopped (a running one must be stopped first)`,
  };
}

async function targets(clients: AwsClients, o: InstallHeartbeatOptions): Promise<NotebookSummary[]> {
  if (o.all) return listNotebookInstances(clients.sagemaker);
  const found = await describeNotebookInstance(clients.sagemaker, o.notebook!);
  if (!found) throw new NotFound(`no notebook instance named ${o.notebook}`);
  return [found];
}

class NotFound extends Error {}

export async function installHeartbeatCommand(o: InstallHeartbeatOptions, out = console): Promise<number> {
  if (Boolean(o.notebook) === Boolean(o.all)) {
    out.error("say which notebook instances: --notebook <name> or --all");
    return 2;
  }
  const configName = o.configName ?? DEFAULT_CONFIG_NAME;
  const would = o.dryRun ? "(dry run) would be " : "";
  let content: string;
  try {
    content = heartbeatHookContent();
  } catch (err) {
    out.error(errorMessage(err));
    return 2;
  }
  const clients = new AwsClients(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {});
  try {
    if (o.dryRun) {
      const existing = await lifecycleConfigOnStart(clients.sagemaker, configName);
      const state = !existing ? "created" : existing.onStart === content ? "unchanged" : "updated";
      out.log(`lifecycle config ${configName}: ${state === "unchanged" ? "up to date" : `${would}${state}`}`);
    } else {
      const state = await putLifecycleConfig(clients.sagemaker, configName, content);
      out.log(`lifecycle config ${configName}: ${state === "unchanged" ? "up to date" : state}`);
    }

    let attached = 0;
    const notebooks = await targets(clients, o);
    for (const n of notebooks) {
      const plan = planHeartbeat(n, configName);
      if (plan.kind === "attach") {
        if (!o.dryRun) await attachLifecycleConfig(clients.sagemaker, n.name, configName);
        attached++;
      }
      out.log(
        plan.kind === "attach" && o.dryRun ? `${n.name}: ${would}attached (it is ${n.status})` : plan.message,
      );
    }
    out.log(
      `${attached} of ${notebooks.length} notebook instance(s) ${o.dryRun ? "would get" : "got"} the heartbeat. ` +
        "Their execution roles need cloudwatch:PutMetricData for it to publish.",
    );
    return 0;
  } catch (err) {
    if (err instanceof NotFound) {
      out.error(err.message);
      return 2;
    }
    if (err instanceof AwsAccessError) {
      out.error(`cannot install the heartbeat: ${err.message}`);
      return 1;
    }
    out.error(`cannot install the heartbeat: ${errorMessage(err)}`);
    return 1;
  } finally {
    clients.destroy();
  }
}
