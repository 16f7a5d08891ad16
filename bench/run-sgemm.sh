#!/usr/bin/env bash
# Builds bench/<build dir>/benchmarks.jar and prints SGEMM GFLOP/s, embedrec beside OpenBLAS,
# both on the same number of threads, in one run.
#
#   bench/run-sgemm.sh [THREADS] [SIZES]        e.g. bench/run-sgemm.sh 2 256,512,1024,2048
#
# THREADS defaults to the number of cores; SIZES to 256,512,1024,2048. OpenBLAS chooses its own
# kernel for the CPU (the strongest baseline): an OPENBLAS_CORETYPE inherited from the environment
# is dropped; set BENCH_OPENBLAS_CORETYPE (e.g. Haswell) to force one. Set EMBEDREC_BUILD_DIR to
# build elsewhere than target/ (several builds sharing one tree). Needs the system OpenBLAS:
# Debian/Ubuntu: apt-get install -y libopenblas0-pthread (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS="${1:-$(nproc)}"
SIZES="${2:-256,512,1024,2048}"
BUILD_DIR="${EMBEDREC_BUILD_DIR:-target}"

if ! ldconfig -p | grep -q 'libblas\.so\.3'; then
  echo "run-sgemm.sh: no libblas.so.3 found; install OpenBLAS: apt-get install -y libopenblas0-pthread" >&2
  exit 1
fi

./mvnw -q -B -pl bench -am package -DskipTests -Dembedrec.build.dir="$BUILD_DIR"

# OpenBLAS reads its thread count from the environment (the OpenMP build from OMP_NUM_THREADS);
# embedrec gets the same number as -Dembedrec.threads from SgemmReport.
export OPENBLAS_NUM_THREADS="$THREADS"
export OMP_NUM_THREADS="$THREADS"
if [ -n "${BENCH_OPENBLAS_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE="$BENCH_OPENBLAS_CORETYPE"
else
  unset OPENBLAS_CORETYPE
fi
exec java --add-modules jdk.incubator.vector -cp "bench/$BUILD_DIR/benchmarks.jar" \
  org.embedrec.bench.SgemmReport "$THREADS" "$SIZES"
