#!/usr/bin/env bash
# A real Flink standalone cluster and a KRaft Kafka broker on this machine, from Maven-resolved
# classpaths (the Flink binary distribution is not needed): one JobManager and two TaskManagers as
# separate JVMs, each started in the background with its pid in deploy/local/run/pids.
#
#   deploy/local/cluster.sh start            build if needed, start Kafka, JobManager, 2 TaskManagers
#   deploy/local/cluster.sh submit [ARGS]    flink run -d the naturalize job (ARGS go to the job)
#   deploy/local/cluster.sh status           processes, TaskManagers, jobs, latest checkpoints
#   deploy/local/cluster.sh flink ARGS       the Flink CLI (list, stop, cancel, savepoint, run ...)
#   deploy/local/cluster.sh tm-kill N        kill -9 TaskManager N (1 or 2)
#   deploy/local/cluster.sh tm-start N       start TaskManager N again
#   deploy/local/cluster.sh stop             stop every process started here, by pid
#
# Web UI: http://127.0.0.1:18081 (DVSFLOW_REST_PORT). Kafka: 127.0.0.1:19092 (DVSFLOW_KAFKA_PORT).
# Example:
#   deploy/local/cluster.sh start
#   deploy/local/cluster.sh submit --bootstrap 127.0.0.1:19092 --input-topic dvs-events
#   ./dvsflow replay recordings/ --bootstrap 127.0.0.1:19092 --topic dvs-events
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

cmd="${1:-status}"
shift || true
require_tools
case "$cmd" in
  start)
    build
    start_cluster
    ;;
  stop)
    stop_all
    log "stopped"
    ;;
  submit)
    build
    id="$(submit -p "$(conf_value parallelism.default)" "$JOB_JAR" --bootstrap "$BOOTSTRAP" "$@")"
    wait_until 60 "job $id running" job_running_fully "$id"
    log "job $id running: $REST/#/job/running/$id/overview"
    echo "$id"
    ;;
  status)
    for f in "$PID_DIR"/*.pid; do
      [ -f "$f" ] || continue
      n="$(basename "$f" .pid)"
      if alive "$n"; then echo "$n: running (pid $(pid_of "$n"))"; else echo "$n: DEAD (pid $(pid_of "$n"))"; fi
    done
    if rest /overview >/dev/null 2>&1; then
      rest /overview | jq -c '{taskmanagers: ."taskmanagers", slots: ."slots-total", free: ."slots-available", running: ."jobs-running", finished: ."jobs-finished", failed: ."jobs-failed"}'
      rest /jobs/overview | jq -r '.jobs[] | "\(.jid) \(.state) \(.name)"'
      for j in $(rest /jobs/overview | jq -r '.jobs[] | select(.state == "RUNNING") | .jid'); do
        rest "/jobs/$j/checkpoints" | jq -c --arg j "$j" '{job: $j, completed: .counts.completed, restored: .counts.restored, failed: .counts.failed, latest_size: .latest.completed.state_size, latest_checkpointed: .latest.completed.checkpointed_size}'
      done
    else
      echo "JobManager REST API not reachable at $REST"
    fi
    ;;
  flink)
    build
    flink "$@"
    ;;
  tm-kill)
    pid="$(pid_of "taskmanager-${1:?N}")" || die "no TaskManager ${1}"
    kill -KILL "$pid"
    log "killed TaskManager $1 (pid $pid) with SIGKILL"
    ;;
  tm-start)
    build
    start_taskmanager "${1:?N}"
    ;;
  *)
    sed -n '2,20p' "$0"
    exit 2
    ;;
esac
