#!/usr/bin/env bash
# The fault-tolerance proof, on this machine in a few minutes (no Docker):
#
#  1. starts Kafka, a JobManager and two TaskManagers (deploy/local/lib.sh, own run directory);
#  2. emulates an MNIST-DVS recording set (6 digits at scale 4) and creates the topics;
#  3. submits two naturalize jobs reading the same input topic, exactly-once frames to their own
#     topics, checkpoints every 1 s: "chaos" and "rescale" (parallelism 2 each);
#  4. replays the recordings into Kafka at real time (--speed 1, CHAOS_PASSES + 1 passes, 6 cameras
#     at once) while the jobs run;
#  5. stops "rescale" with a savepoint mid-stream and restarts it from the savepoint with
#     parallelism 3 (keyed state redistributed);
#  6. kill -9 TaskManager 1 mid-stream, starts it again 3 s later (a supervisor would), and
#     measures the time until each job runs again and has completed a checkpoint;
#  7. when the replay is over and both jobs have committed every input offset and two more
#     checkpoints, stops both with a savepoint (stop --drain is not used: the windows its final
#     watermark released never reached Kafka here, see deploy/README.md);
#  8. runs the same job undisturbed over the same input (--bounded) as the reference;
#  9. compares reference vs chaos and reference vs rescale with TopicDiff (read_committed) over the
#     windows that the stopped jobs' last watermark released (all but the last ~5 s of event time):
#     same frames, none lost, none duplicated, bit-identical pixels.
#
# Exit code 0 when both comparisons are identical. Every process started here is stopped on exit,
# by its pid. Figures go to stdout and to $RUN_DIR/chaos-summary.txt.
#
# The jobs run the learned naturalizer (--method vdib, the bundled model, stochastic readout neurons
# whose generator state is checkpointed) unless CHAOS_METHOD names a classical one (e.g. highpass).
#
#   deploy/local/chaos.sh                  # about 4 minutes
#   CHAOS_PASSES=12 deploy/local/chaos.sh  # a longer stream
#   CHAOS_METHOD=highpass deploy/local/chaos.sh
set -euo pipefail
DVSFLOW_RUN_DIR="${DVSFLOW_RUN_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run/chaos}"
export DVSFLOW_RUN_DIR
# shellcheck source=deploy/local/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PASSES="${CHAOS_PASSES:-16}"
PARTITIONS="${CHAOS_PARTITIONS:-3}"
IN=events
# no partition may go idle while the replay pauses between passes, and cameras sharing a partition
# may be a few seconds apart (replay readers start one by one on a loaded machine): see README
METHOD="${CHAOS_METHOD:-vdib}"
JOB_ARGS=(--input-topic "$IN" --max-disorder 5s --idleness 60s --sensor 128x128 --method "$METHOD" --window 50ms)
if [ "$METHOD" = vdib ]; then
  # the bundled model; versions would arrive on the compacted model topic (none are sent here)
  JOB_ARGS+=(--model "$ROOT/jobs/src/main/resources/io/dvsflow/jobs/models/mnist-dvs-vdib.avro" --model-topic models)
  IMAGE_VERTEX='^vdib-decoder'
  LATE_VERTEX='^lif-encoder'
  LATE_METRIC=lif-encoder.lateEvents
else
  IMAGE_VERTEX='^naturalize'
  LATE_VERTEX='^naturalize'
  LATE_METRIC="naturalize-$METHOD.lateEvents"
fi
SUMMARY="$RUN_DIR/chaos-summary.txt"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  log "stopping every process started here"
  stop_bg replay
  stop_all
  exit "$rc"
}

require_tools
for p in "$KAFKA_PORT" "$REST_PORT" "$JM_RPC_PORT"; do
  port_open "$p" && die "port $p is in use: stop the other cluster first (deploy/local/cluster.sh stop)"
done
build
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
trap cleanup EXIT INT TERM
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }

start_cluster

log "emulating the recording set"
dvsflow emulate mnist-dvs --count 6 --scales 4 --seed 1 --out "$RUN_DIR/recordings" 2>/dev/null | tail -1
tool io.dvsflow.jobs.deploy.KafkaTopics create --bootstrap "$BOOTSTRAP" --partitions "$PARTITIONS" \
  "$IN" frames-chaos frames-rescale frames-reference >/dev/null

log "submitting the chaos and rescale jobs (parallelism 2)"
A="$(submit -p 2 "$JOB_JAR" --bootstrap "$BOOTSTRAP" "${JOB_ARGS[@]}" \
  --output-topic frames-chaos --group-id chaos --job-name chaos)"
B="$(submit -p 2 "$JOB_JAR" --bootstrap "$BOOTSTRAP" "${JOB_ARGS[@]}" \
  --output-topic frames-rescale --group-id rescale --job-name rescale)"
wait_until 120 "job chaos running" job_running_fully "$A"
wait_until 120 "job rescale running" job_running_fully "$B"

log "replaying $PASSES + 1 passes of 6 recordings at real time into $IN"
# shellcheck disable=SC2086
start_bg replay "$JAVA" -Xmx1g $JAVA_OPTS_ALL -Dlog4j.configurationFile=log4j2-cli.properties \
  -cp "$TOOLS_CP" io.dvsflow.jobs.cli.DvsflowCli replay "$RUN_DIR/recordings" \
  --bootstrap "$BOOTSTRAP" --topic "$IN" --speed 1 --passes $((PASSES + 1)) --parallelism 6 --packet-events 256
T_REPLAY=$(now_ms)

# mid-stream: both jobs have committed frames and completed a few checkpoints
frames_emitted() { rest "/jobs/$1" | jq --arg v "$IMAGE_VERTEX" '[.vertices[] | select(.name | test($v)) | .metrics."write-records"] | add // 0'; }
has_output() {
  [ "$(completed_checkpoints "$1")" -ge 3 ] && [ "$(frames_emitted "$1")" -gt 0 ]
}
wait_until 240 "committed frames of the rescale job" has_output "$B" frames-rescale

late_events() {
  rest "/jobs/$1" | jq -r --arg v "$LATE_VERTEX" '.vertices[] | select(.name | test($v)) | .id' | while read -r v; do
    rest "/jobs/$1/vertices/$v/subtasks/metrics?get=$LATE_METRIC" | jq -r '.[0].sum // "?"'
  done
}
LATE_B="$(late_events "$B")"
log "stop the rescale job with a savepoint (mid-stream)"
SP_OUT="$(flink stop --savepointPath "$RUN_DIR/savepoints" "$B" 2>&1)" || { echo "$SP_OUT" >&2; die "stop with savepoint failed"; }
SAVEPOINT="$(echo "$SP_OUT" | sed -n 's/.*Savepoint completed\. Path: \([^ ]*\).*/\1/p' | head -1)"
[ -n "$SAVEPOINT" ] || { echo "$SP_OUT" >&2; die "no savepoint path"; }
T_SP=$(now_ms)
# committed frames at the savepoint, counted while the rescaled job starts
tool io.dvsflow.jobs.deploy.KafkaTopics count --bootstrap "$BOOTSTRAP" frames-rescale >"$RUN_DIR/frames-at-savepoint.txt" &
COUNT_PID=$!
SP_SIZE="$(du -sk "${SAVEPOINT#file:}" | cut -f1)"
log "savepoint $SAVEPOINT (${SP_SIZE} KiB); restarting with parallelism 3"
B2="$(submit -p 3 -s "$SAVEPOINT" "$JOB_JAR" --bootstrap "$BOOTSTRAP" "${JOB_ARGS[@]}" \
  --output-topic frames-rescale --group-id rescale --job-name rescale-p3)"
wait_until 120 "the rescaled job running" job_running_fully "$B2"
wait "$COUNT_PID" || true
FRAMES_AT_SAVEPOINT="$(cat "$RUN_DIR/frames-at-savepoint.txt")"
B2_PAR="$(rest "/jobs/$B2" | jq '[.vertices[].parallelism] | max')"
alive replay || log "warning: the replay ended before the rescaled job ran (raise CHAOS_PASSES)"

wait_until 120 "frames of the chaos job" has_output "$A" frames-chaos
FRAMES_BEFORE_KILL="$(frames_emitted "$A")"
CK_BEFORE_KILL="$(rest "/jobs/$A/checkpoints" | jq -c '{completed: .counts.completed, state_size: .latest.completed.state_size, checkpointed_size: .latest.completed.checkpointed_size}')"
alive replay || die "the replay ended before the kill: raise CHAOS_PASSES"

T_KILL=$(now_ms)
kill -KILL "$(pid_of taskmanager-1)"
log "killed TaskManager 1 (pid $(pid_of taskmanager-1)) with SIGKILL, $(((T_KILL - T_REPLAY) / 1000)) s into the replay, $FRAMES_BEFORE_KILL frames emitted by the chaos job"
rm -f "$PID_DIR/taskmanager-1.pid"
sleep 3
start_taskmanager 1

recovered() {
  job_running_fully "$1" &&
    [ "$(rest "/jobs/$1/checkpoints" | jq ".latest.completed.latest_ack_timestamp // 0")" -gt "$T_KILL" ]
}
wait_until 180 "the chaos job to recover" recovered "$A"
T_RECOVERED=$(now_ms)
RESTORED="$(rest "/jobs/$A/checkpoints" | jq -c '.latest.restored | {id, restore_timestamp, is_savepoint}')"
T_RESTORE="$(echo "$RESTORED" | jq .restore_timestamp)"
log "chaos job recovered: running with a new checkpoint $((T_RECOVERED - T_KILL)) ms after the kill"
wait_until 180 "the rescaled job to recover" recovered "$B2"
T_RECOVERED_B2=$(now_ms)
alive replay || log "warning: the replay ended before the jobs recovered (raise CHAOS_PASSES)"

log "waiting for the replay to end"
wait_until 900 "the replay to end" sh -c "! kill -0 $(pid_of replay) 2>/dev/null"
REPLAY_LINE="$(grep -E '^total:|^sent' "$LOG_DIR/replay.out" | tail -1)"
rm -f "$PID_DIR/replay.pid"
IN_RECORDS="$(tool io.dvsflow.jobs.deploy.KafkaTopics count --bootstrap "$BOOTSTRAP" "$IN")"
STREAMS="$(tool io.dvsflow.jobs.deploy.KafkaTopics streams --bootstrap "$BOOTSTRAP" "$IN")"
lag_zero() { [ "$(tool io.dvsflow.jobs.deploy.KafkaTopics lag --bootstrap "$BOOTSTRAP" --group "$1" --topic "$IN")" = 0 ]; }
wait_until 180 "the chaos job to commit every input offset" lag_zero chaos
wait_until 180 "the rescaled job to commit every input offset" lag_zero rescale
# frames that the last watermarks released are committed by the next checkpoints
two_more() { [ "$(completed_checkpoints "$1")" -ge "$2" ]; }
NA=$(($(completed_checkpoints "$A") + 2))
NB=$(($(completed_checkpoints "$B2") + 2))
wait_until 60 "two more checkpoints of the chaos job" two_more "$A" "$NA"
wait_until 60 "two more checkpoints of the rescaled job" two_more "$B2" "$NB"
CK_FINAL="$(rest "/jobs/$A/checkpoints" | jq -c '{completed: .counts.completed, failed: .counts.failed, restored: .counts.restored, state_size: .latest.completed.state_size, checkpointed_size: .latest.completed.checkpointed_size, max_state_size: .summary.state_size.max, avg_duration_ms: .summary.end_to_end_duration.avg}')"
RESTARTS="$(rest "/jobs/$A/metrics?get=numRestarts" | jq -r '.[0].value // "?"')"
LATE="chaos $(late_events "$A"), rescale before the savepoint $LATE_B, after $(late_events "$B2")"

log "stopping both jobs with a savepoint (not --drain: see deploy/README.md)"
flink stop --savepointPath "$RUN_DIR/savepoints" "$A" >/dev/null 2>&1 || die "stop of the chaos job failed"
flink stop --savepointPath "$RUN_DIR/savepoints" "$B2" >/dev/null 2>&1 || die "stop of the rescaled job failed"

log "the undisturbed reference run over the same input"
R="$(submit -p 2 "$JOB_JAR" --bootstrap "$BOOTSTRAP" "${JOB_ARGS[@]}" --bounded \
  --output-topic frames-reference --group-id reference --job-name reference)"
wait_until 300 "the reference job to finish" sh -c "[ \"\$(curl -sf $REST/jobs/$R | jq -r .state)\" = FINISHED ]"
CK_DIR_KB="$(du -sk "$RUN_DIR/checkpoints/$A" 2>/dev/null | cut -f1)"
# the jobs were stopped at their last watermark, about (PASSES + 1) x 1.99 s - 5 s of event time
# (the recordings last 2 s; --max-disorder 5s): compare the windows that it released everywhere
UNTIL_US=$(((PASSES + 1) * 1980000 - 5200000))

say "== dvsflow chaos run $(date -u +%Y-%m-%dT%H:%M:%SZ) =="
say "input: 6 emulated MNIST-DVS recordings x $PASSES passes at real time, $IN_RECORDS packets on $PARTITIONS partitions; method $METHOD"
say "replay: $REPLAY_LINE"
say "$STREAMS"
say "chaos job $A: kill -9 TaskManager 1 at +$(((T_KILL - T_REPLAY) / 1000)) s with $FRAMES_BEFORE_KILL frames emitted; checkpoints before: $CK_BEFORE_KILL"
say "  restored checkpoint: $RESTORED; restore $((T_RESTORE - T_KILL)) ms after the kill; running with a new completed checkpoint after $((T_RECOVERED - T_KILL)) ms; numRestarts $RESTARTS"
say "  checkpoints at the end: $CK_FINAL; checkpoint dir ${CK_DIR_KB} KiB"
say "rescale job: savepoint after $FRAMES_AT_SAVEPOINT frames (${SP_SIZE} KiB) at +$(((T_SP - T_REPLAY) / 1000)) s, restored as $B2 with parallelism $B2_PAR; after the kill running with a new checkpoint after $((T_RECOVERED_B2 - T_KILL)) ms"
say "late events counted by the naturalizers: $LATE"
say "compared: frames whose window ends by $UNTIL_US us (released by the last watermark of the stopped jobs; the reference, bounded, also emits the rest)"
set +e
say "-- reference vs chaos --"
tool io.dvsflow.jobs.deploy.TopicDiff --bootstrap "$BOOTSTRAP" --expected frames-reference --actual frames-chaos --until-us "$UNTIL_US" | tee -a "$SUMMARY"
RC1=${PIPESTATUS[0]}
say "-- reference vs rescale (savepoint, parallelism 2 -> 3) --"
tool io.dvsflow.jobs.deploy.TopicDiff --bootstrap "$BOOTSTRAP" --expected frames-reference --actual frames-rescale --until-us "$UNTIL_US" | tee -a "$SUMMARY"
RC2=${PIPESTATUS[0]}
set -e
if [ "$RC1" = 0 ] && [ "$RC2" = 0 ]; then
  say "RESULT: PASS (exactly-once through a TaskManager kill and a rescaled savepoint restore)"
else
  say "RESULT: FAIL (see $SUMMARY and $LOG_DIR)"
  exit 1
fi
