#!/usr/bin/env bash
# collect.sh <namespace> <outdir>: what a bench run needs next to its numbers, as in the seed.
#   k8s/    with kubectl: pod states and descriptions, every pod's logs, HPA, events, kubectl top
#   local/  always: open-files limits, the sysctls that bound connection counts, ss -s, the machine
#   NOTES.txt  what was skipped and why
# A missing tool or an unreachable cluster is noted and skipped, never an error: it always exits 0.
set -u

usage() { echo "usage: $0 <namespace> <outdir>   e.g. $0 wsbench bench/results/\$(date +%Y%m%d_%H%M%S)"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; esac

NS="${1:-wsbench}"
OUT="${2:-bench/results/$(date +%Y%m%d_%H%M%S)}"
KUBECTL_TIMEOUT="${KUBECTL_TIMEOUT:-20s}"

if ! mkdir -p "$OUT/local"; then
  echo "collect.sh: cannot create $OUT; nothing collected" >&2
  exit 0
fi
NOTES="$OUT/NOTES.txt"
: >"$NOTES"

note() { echo "$*" | tee -a "$NOTES" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# run <file> <command...>: the command's output into the file; a failure is noted, not fatal
run() {
  local file="$1"
  shift
  if ! have "$1"; then
    note "skipped: $1 not found (for $(basename "$file"))"
    return 0
  fi
  if ! "$@" >"$file" 2>&1; then
    local shown="$*"
    [ "$1" = k ] && shown="kubectl -n $NS ${*:2}"
    note "failed: $shown (see $(basename "$file"))"
  fi
  return 0
}

# ---- the local machine: always ----
{
  echo "collected: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "namespace: $NS"
  echo "hostname:  $(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null)"
  echo "kernel:    $(uname -srm 2>/dev/null)"
  echo "cpus:      $(getconf _NPROCESSORS_ONLN 2>/dev/null)"
  echo "memory:    $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo 2>/dev/null)"
} >"$OUT/local/machine.txt"

{
  echo "ulimit -n (open files, soft): $(ulimit -Sn)"
  echo "ulimit -Hn (open files, hard): $(ulimit -Hn)"
  echo "ulimit -u (processes, soft): $(ulimit -Su)"
} >"$OUT/local/limits.txt"

# read from /proc/sys, so that a machine without sysctl(8) still reports them
: >"$OUT/local/sysctls.txt"
for key in net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.ip_local_port_range fs.file-max fs.nr_open net.ipv4.tcp_tw_reuse; do
  f="/proc/sys/${key//.//}"
  if [ -r "$f" ]; then
    echo "$key = $(tr -s '\t ' ' ' <"$f")" >>"$OUT/local/sysctls.txt"
  else
    echo "$key = (not available)" >>"$OUT/local/sysctls.txt"
    note "skipped: $key not readable at $f"
  fi
done

run "$OUT/local/ss-s.txt" ss -s

# ---- Kubernetes: only with kubectl and a reachable cluster ----
if ! have kubectl; then
  note "skipped: kubectl not found: no pods, logs, HPA, events or kubectl top collected"
elif ! kubectl --request-timeout="$KUBECTL_TIMEOUT" get namespace "$NS" >/dev/null 2>"$OUT/kubectl-error.txt"; then
  note "skipped: namespace $NS not reachable with kubectl: $(tail -n 1 "$OUT/kubectl-error.txt") (full error in kubectl-error.txt)"
else
  rm -f "$OUT/kubectl-error.txt"
  K="$OUT/k8s"
  mkdir -p "$K/logs"
  k() { kubectl --request-timeout="$KUBECTL_TIMEOUT" -n "$NS" "$@"; }
  run "$K/pods.txt" k get pods -o wide
  run "$K/pods-describe.txt" k describe pods
  run "$K/deployments.txt" k get deployments,services,jobs,pvc -o wide
  run "$K/hpa.txt" k get hpa
  run "$K/hpa-describe.txt" k describe hpa
  run "$K/events.txt" k get events --sort-by=.lastTimestamp
  # kubectl top needs metrics-server: its absence is a note
  run "$K/top-pods.txt" k top pods
  run "$K/top-nodes.txt" kubectl --request-timeout="$KUBECTL_TIMEOUT" top nodes
  pods="$(k get pods -o name 2>/dev/null)"
  for pod in $pods; do
    name="${pod#pod/}"
    run "$K/logs/$name.log" k logs "$pod" --all-containers --timestamps
    # a pod that restarted: its previous container's last words
    k logs "$pod" --all-containers --previous --timestamps >"$K/logs/$name.previous.log" 2>/dev/null || rm -f "$K/logs/$name.previous.log"
  done
fi

[ -s "$NOTES" ] || echo "nothing skipped" >"$NOTES"
echo "collected into $OUT"
exit 0
