#!/bin/bash
# ml-janitor heartbeat (https://github.com/ml-janitor): a lifecycle-configuration script (OnStart)
# for SageMaker notebook instances and Studio JupyterLab / Code Editor spaces.
#
# Every 5 minutes it asks the local Jupyter server whether anyone is working (a kernel busy or
# active in the last 5 minutes, a terminal used in the last 5 minutes) and publishes the answer
# to CloudWatch: namespace MLJanitor/Notebooks, metric JupyterActivity, value 1 (active) or
# 0 (idle), dimension NotebookInstanceName (notebook instances) or DomainId + SpaceName (Studio).
# The janitor reads that metric; a day of zeros means nobody used the instance.
#
# It needs only what the instance already has: bash, curl, python3 and the AWS CLI (or boto3).
# The instance's execution role needs cloudwatch:PutMetricData. It never stops anything, and
# it always exits 0 so that it can never keep an instance from starting.

# The HEARTBEAT_* overrides exist for tests; on an instance the defaults apply.
export NAMESPACE="MLJanitor/Notebooks"
export METRIC="JupyterActivity"
export INTERVAL="${HEARTBEAT_INTERVAL:-300}"
export METADATA="${HEARTBEAT_METADATA:-/opt/ml/metadata/resource-metadata.json}"
export JUPYTER_URL_OVERRIDE="${HEARTBEAT_JUPYTER_URL:-}"
WORKDIR="${HEARTBEAT_WORKDIR:-${TMPDIR:-/tmp}/ml-janitor-heartbeat}"

mkdir -p "$WORKDIR" || exit 0
LOG="$WORKDIR/heartbeat.log"

# The worker runs detached from this script (an OnStart script must finish within 5 minutes).
cat >"$WORKDIR/worker.sh" <<'WORKER'
#!/bin/bash
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }

find_python() {
  for p in python3 /opt/conda/bin/python3 /home/ec2-user/anaconda3/bin/python3 python; do
    command -v "$p" >/dev/null 2>&1 && { echo "$p"; return 0; }
  done
  return 1
}
PY=$(find_python) || { log "no python3 found; heartbeat disabled"; exit 0; }

# One line: "<region>|<kind>|<name or domain>|<space>|<app type>", read from the instance's metadata.
meta=$("$PY" - "$METADATA" <<'PYMETA'
import json, os, sys
try:
    m = json.load(open(sys.argv[1]))
except Exception:
    m = {}
arn = m.get("ResourceArn", "")
parts = arn.split(":")
region = parts[3] if len(parts) > 3 and parts[3] else os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "")
if m.get("DomainId"):
    print("|".join([region, "studio", m.get("DomainId", ""), m.get("SpaceName", ""), m.get("AppType", "")]))
else:
    print("|".join([region, "notebook", m.get("ResourceName", ""), "", ""]))
PYMETA
)
IFS='|' read -r REGION KIND NAME SPACE APPTYPE <<<"$meta"

if [ "$KIND" = "studio" ]; then
  if [ -z "$SPACE" ]; then log "Studio Classic apps (no space) are not supported; exiting"; exit 0; fi
  DIMENSIONS="DomainId=$NAME,SpaceName=$SPACE"
  JUPYTER_URL="http://localhost:8888/jupyterlab/default/"
else
  if [ -z "$NAME" ]; then log "cannot read the notebook instance name from $METADATA; exiting"; exit 0; fi
  DIMENSIONS="NotebookInstanceName=$NAME"
  JUPYTER_URL="https://localhost:8443/"
fi
[ -n "$JUPYTER_URL_OVERRIDE" ] && JUPYTER_URL="$JUPYTER_URL_OVERRIDE"

# Prints 1 (active) or 0 (idle); prints nothing when activity cannot be told (Jupyter not up yet).
activity() {
  local kernels="" terminals="[]"
  if [ "$APPTYPE" != "CodeEditor" ]; then
    kernels=$(curl -sk --fail --max-time 10 "${JUPYTER_URL}api/kernels") || return 0
    terminals=$(curl -sk --fail --max-time 10 "${JUPYTER_URL}api/terminals") || terminals="[]"
  fi
  KERNELS="$kernels" TERMINALS="$terminals" WINDOW="$INTERVAL" APPTYPE="$APPTYPE" "$PY" - <<'PYACT'
import json, os, time
from datetime import datetime, timezone

window = int(os.environ["WINDOW"]) + 60
now = time.time()

def recent(stamp):
    # Jupyter writes UTC ISO times such as 2025-03-12T09:30:00.123456Z; seconds are enough.
    try:
        t = datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        return now - t.timestamp() <= window
    except Exception:
        return False

def code_editor_active():
    base = "/opt/amazon/sagemaker/sagemaker-code-editor-server-data/data/User"
    for d in (base + "/History", base + "/Backups"):
        for root, _, files in os.walk(d):
            for f in files:
                try:
                    if now - os.lstat(os.path.join(root, f)).st_mtime <= window:
                        return True
                except OSError:
                    pass
    return False

active = False
if os.environ.get("APPTYPE") == "CodeEditor":
    active = code_editor_active()
else:
    try:
        kernels = json.loads(os.environ.get("KERNELS") or "[]")
        terminals = json.loads(os.environ.get("TERMINALS") or "[]")
    except ValueError:
        raise SystemExit(0)
    for k in kernels if isinstance(kernels, list) else []:
        if k.get("execution_state") in ("busy", "starting") or recent(k.get("last_activity", "")):
            active = True
    for t in terminals if isinstance(terminals, list) else []:
        # An open terminal that does not say when it was last used counts as activity.
        if "last_activity" not in t or recent(t.get("last_activity", "")):
            active = True
print(1 if active else 0)
PYACT
}

publish() {
  if command -v aws >/dev/null 2>&1; then
    aws cloudwatch put-metric-data --region "$REGION" --namespace "$NAMESPACE" \
      --metric-name "$METRIC" --dimensions "$DIMENSIONS" --value "$1" --unit Count
  else
    "$PY" -c 'import sys, boto3
dims = [dict(zip(("Name", "Value"), d.split("=", 1))) for d in sys.argv[4].split(",")]
boto3.client("cloudwatch", region_name=sys.argv[1]).put_metric_data(Namespace=sys.argv[2],
    MetricData=[{"MetricName": sys.argv[3], "Dimensions": dims, "Value": float(sys.argv[5]), "Unit": "Count"}])' \
      "$REGION" "$NAMESPACE" "$METRIC" "$DIMENSIONS" "$1"
  fi
}

beat() {
  local value
  value=$(activity)
  if [ -n "$value" ]; then
    publish "$value" || log "could not publish (does the execution role allow cloudwatch:PutMetricData?)"
  fi
}

if [ "${1:-}" = "--once" ]; then beat; exit 0; fi
log "heartbeat started: $NAMESPACE/$METRIC $DIMENSIONS every ${INTERVAL}s"
while true; do
  sleep "$INTERVAL"
  beat
done
WORKER

# `--once`: one check in the foreground, then exit (for tests and for trying it by hand).
if [ "${1:-}" = "--once" ]; then bash "$WORKDIR/worker.sh" --once; exit 0; fi

# One worker per boot: a second run of this script (e.g. a restarted app) leaves a live one alone.
if [ -f "$WORKDIR/worker.pid" ] && kill -0 "$(cat "$WORKDIR/worker.pid")" 2>/dev/null; then
  echo "ml-janitor heartbeat already running"
  exit 0
fi
nohup bash "$WORKDIR/worker.sh" >>"$LOG" 2>&1 </dev/null &
echo $! >"$WORKDIR/worker.pid"
echo "ml-janitor heartbeat started (log: $LOG)"
exit 0
