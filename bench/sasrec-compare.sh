#!/usr/bin/env bash
# SASRec in embedrec and in PyTorch (bench/reference/pytorch_sasrec.py), one after the other, on
# the same leave-last-out split of MovieLens 100K, the same hyper-parameters and threads, seeds
# 1..3, then a table of test HR@10 and NDCG@10 (full ranking, history excluded) and the median
# seconds per training epoch, with the means over the seeds.
#
#   bench/sasrec-compare.sh [--loss bce|softmax] [--epochs N] [--seeds "1 2 3"] [--threads N]
#                           [--data DIR] [--out DIR] [-- EXTRA TRAIN FLAGS FOR BOTH]
#
# --loss      bce (default: the reference's one sampled negative per step) or softmax (the whole
#             catalogue, embedrec's default)
# --epochs N  training epochs on both sides (default 200); no early stop, so both train as long
# --seeds L   space-separated seeds (default "1 2 3")
# --threads N embedrec's pool and torch.set_num_threads (default 2)
# --max-length, --batch-size, --lr, --dropout, --embedding-dim, --layers, --heads: as embedrec's
#             train flags (defaults: SASRec's reference, 200, 128, 0.001, 0.2, 50, 2, 1)
# --data DIR  MovieLens 100K (default: $EMBEDREC_ML100K or ../shared/data/ml-100k)
# --out DIR   reports, the exported split, logs and table.txt (default bench/target/sasrec-compare)
# --skip-build  use cli/target/embedrec.jar as it is
#
# Needs bench/.venv-torch (bench/reference/setup-torch.sh). Not part of ./mvnw verify or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

loss=bce; epochs=200; seeds="1 2 3"; threads=2
max_length=200; batch_size=128; lr=0.001; dropout=0.2; dim=50; layers=2; heads=1
data="${EMBEDREC_ML100K:-}"
build=1
out="bench/target/sasrec-compare"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --loss) loss="${2:?--loss needs bce or softmax}"; shift 2 ;;
        --epochs) epochs="${2:?--epochs needs a number}"; shift 2 ;;
        --seeds) seeds="${2:?--seeds needs a list}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
        --max-length) max_length="${2:?}"; shift 2 ;;
        --batch-size) batch_size="${2:?}"; shift 2 ;;
        --lr) lr="${2:?}"; shift 2 ;;
        --dropout) dropout="${2:?}"; shift 2 ;;
        --embedding-dim) dim="${2:?}"; shift 2 ;;
        --layers) layers="${2:?}"; shift 2 ;;
        --heads) heads="${2:?}"; shift 2 ;;
        --data) data="${2:?--data needs a directory}"; shift 2 ;;
        --out) out="${2:?--out needs a directory}"; shift 2 ;;
        --skip-build) build=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "sasrec-compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$loss" in bce|softmax) ;; *) echo "sasrec-compare.sh: --loss must be bce or softmax, got '$loss'" >&2; exit 2 ;; esac
for v in "$epochs" "$threads" "$max_length" "$batch_size" "$dim" "$layers" "$heads" $seeds; do
    if ! [[ "$v" =~ ^[0-9]+$ ]]; then
        echo "sasrec-compare.sh: expected a whole number, got '$v' (see --help)" >&2; exit 2
    fi
done
if [[ -z "$data" && -f "$root/../shared/data/ml-100k/u.data" ]]; then data="$root/../shared/data/ml-100k"; fi
if [[ -z "$data" || ! -f "$data/u.data" ]]; then
    echo "sasrec-compare.sh: no MovieLens 100K found (${data:-none given}); pass --data DIR" >&2; exit 2
fi
python="$root/bench/.venv-torch/bin/python"
if [[ ! -x "$python" ]]; then
    echo "sasrec-compare.sh: no bench/.venv-torch; run bench/reference/setup-torch.sh first" >&2; exit 2
fi
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$out/logs"

if [[ $build -eq 1 ]]; then
    echo "building embedrec (cli/target/embedrec.jar)..."
    ./mvnw -q -B -pl cli -am package -DskipTests
fi
embedrec=(java --add-modules jdk.incubator.vector -jar cli/target/embedrec.jar)

run() {
    local name="$1"; shift
    echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if "$@" > "$out/logs/$name.log" 2>&1; then
        grep -v '^WARNING: Using incubator modules' "$out/logs/$name.log" | tail -n 1
    else
        echo "   FAILED (exit $?): see $out/logs/$name.log"; tail -n 3 "$out/logs/$name.log" | sed 's/^/   /'
    fi
}

run split "${embedrec[@]}" data split --data "$data" --split leave-last-out --out "$out/split" --overwrite
reports=()
for seed in $seeds; do
    e="$out/embedrec-$loss-$seed.json"; p="$out/pytorch-$loss-$seed.json"
    rm -f "$e" "$p"
    run "embedrec-$loss-$seed" "${embedrec[@]}" train --model sasrec --data "$data" --split leave-last-out \
        --loss "$loss" --epochs "$epochs" --max-length "$max_length" --batch-size "$batch_size" --lr "$lr" \
        --dropout "$dropout" --embedding-dim "$dim" --layers "$layers" --heads "$heads" --seed "$seed" \
        --validation-freq "$epochs" --threads "$threads" --report "$e" --quiet
    run "pytorch-$loss-$seed" "$python" bench/reference/pytorch_sasrec.py --split "$out/split" --loss "$loss" \
        --epochs "$epochs" --maxlen "$max_length" --batch-size "$batch_size" --lr "$lr" --dropout "$dropout" \
        --hidden "$dim" --blocks "$layers" --heads "$heads" --seed "$seed" --threads "$threads" --report "$p"
    reports+=("$seed=$e,$p")
done
echo
"$python" bench/reference/sasrec_table.py "${reports[@]}" | tee "$out/table.txt"
echo "reports, split and logs: $out"
