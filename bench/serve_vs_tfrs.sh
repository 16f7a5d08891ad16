#!/usr/bin/env bash
# ServeLoad with the same load against embedrec serve and against the TFRS SavedModel service
# (reference/tfrs_service.py), one after the other, each server alone on the machine with the client.
#
#   bench/serve_vs_tfrs.sh EMBEDREC_MODEL_DIR TFRS_SAVED_MODEL_DIR [ServeLoad options...]
#   bench/serve_vs_tfrs.sh /tmp/tt /tmp/tfrs-sm --connections 32 --warmup 10 --seconds 30
#
# Needs cli/target/embedrec.jar, bench/target/benchmarks.jar and bench/.venv (reference/setup.sh).
# Ports 18080 (embedrec) and 18090 (TFRS) on loopback; both servers get 2 threads.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
embedrec_dir=$1; tfrs_dir=$2; shift 2
load=(java -cp "$root/bench/target/benchmarks.jar" org.embedrec.bench.ServeLoad)

wait_for() {
    for _ in $(seq 1 300); do
        curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
        sleep 1
    done
    echo "serve_vs_tfrs.sh: nothing answers on port $1" >&2
    return 1
}

echo "== embedrec ($(java -version 2>&1 | head -1))"
java --add-modules jdk.incubator.vector -jar "$root/cli/target/embedrec.jar" serve --model-dir "$embedrec_dir" \
    --port 18080 --threads 2 > /tmp/serve_vs_tfrs-embedrec.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_for 18080
"${load[@]}" --port 18080 --server-pid "$pid" "$@"
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== tfrs ($("$root/bench/.venv/bin/python" --version))"
(cd "$here/reference" && TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=2 exec "$root/bench/.venv/bin/python" \
    tfrs_service.py serve --model-dir "$tfrs_dir" --port 18090 --threads 2) > /tmp/serve_vs_tfrs-tfrs.log 2>&1 &
pid=$!
wait_for 18090
"${load[@]}" --port 18090 --server-pid "$pid" "$@"
kill "$pid"; wait "$pid" 2>/dev/null || true
