#!/usr/bin/env bash
# Trains each model in embedrec and in its TensorFlow reference, one after the other in one run,
# on the same rows and the same number of threads, and prints a side-by-side table.
#
#   bench/compare.sh [--quick] [--threads N] [--data DIR] [--out DIR] [--models LIST]
#                    [--two-tower-layers LIST]
#
#   two-tower                    embedrec --model two-tower against the TensorFlow Recommenders
#                                deep retrieval tutorial (Adagrad 0.1, batch 2048, validation every
#                                5 epochs), split random:0.8 with seed 42, once per layer stack

#   dot-mlp, ncf-mlp, wide-deep  embedrec against Keras versions of the same models, split
#                                ml-100k:u1, with the hyper-parameters embedrec's report records
#
# --quick      5 two-tower epochs and 3 epochs per rating model: a smoke run of a few minutes
#              (the full run is 300 two-tower epochs and embedrec's default epochs per model)
# --threads N  embedrec's pool and TensorFlow's intra- and inter-op pools (default: all cores)
# --data DIR   MovieLens 100K (default: $EMBEDREC_ML100K, ../shared/data/ml-100k, or
#              ~/.embedrec/data/ml-100k as `embedrec data fetch movielens-100k` leaves it)
# --out DIR    reports, exported splits, logs and table.txt (default bench/<build dir>/compare)
# --models L   comma-separated subset of two-tower,dot-mlp,ncf-mlp,wide-deep
# --two-tower-layers L  space-separated layer stacks for two-tower (default "32 64,32")
#
# Needs bench/.venv (bench/reference/setup.sh). Set EMBEDREC_BUILD_DIR to build the jar elsewhere
# than target/ (several builds sharing one tree). Not part of ./mvnw verify or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

quick=0
threads="$(nproc)"
data="${EMBEDREC_ML100K:-}"
build_dir="${EMBEDREC_BUILD_DIR:-target}"
out="bench/$build_dir/compare"
models="two-tower,dot-mlp,ncf-mlp,wide-deep"
two_tower_layers="32 64,32"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
        --data) data="${2:?--data needs a directory}"; shift 2 ;;
        --out) out="${2:?--out needs a directory}"; shift 2 ;;
        --models) models="${2:?--models needs a list}"; shift 2 ;;
        --two-tower-layers) two_tower_layers="${2:?--two-tower-layers needs a list}"; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if ! [[ "$threads" =~ ^[1-9][0-9]*$ ]]; then
    echo "compare.sh: --threads must be a positive integer, got '$threads'" >&2; exit 2
fi
for layers in $two_tower_layers; do
    if ! [[ "$layers" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
        echo "compare.sh: --two-tower-layers: '$layers' is not a comma-separated list of sizes, e.g. 64,32" >&2; exit 2
    fi
done
for m in ${models//,/ }; do
    case "$m" in two-tower|dot-mlp|ncf-mlp|wide-deep) ;;
        *) echo "compare.sh: unknown model '$m' in --models; expected two-tower, dot-mlp, ncf-mlp, wide-deep" >&2; exit 2 ;;
    esac
done
if [[ -z "$data" ]]; then
    for candidate in "$root/../shared/data/ml-100k" "$HOME/.embedrec/data/ml-100k"; do
        if [[ -f "$candidate/u.data" ]]; then data="$candidate"; break; fi
    done
fi
if [[ -z "$data" || ! -f "$data/u.data" ]]; then
    echo "compare.sh: no MovieLens 100K found (${data:-none given}); pass --data DIR or run" \
         "'./embedrec data fetch movielens-100k'" >&2
    exit 2
fi
python="$root/bench/.venv/bin/python"
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ beside the scripts in the work tree
if [[ ! -x "$python" ]]; then
    echo "compare.sh: no bench/.venv; run bench/reference/setup.sh first" >&2; exit 2
fi

if [[ $quick -eq 1 ]]; then two_tower_epochs=5; rating_epochs=(--epochs 3); else two_tower_epochs=300; rating_epochs=(); fi
mkdir -p "$out/logs" "$out/splits"
wall="$out/wall.tsv"
: > "$wall"

echo "building embedrec (cli/$build_dir/embedrec.jar)..."
./mvnw -q -B -pl cli -am package -DskipTests -Dembedrec.build.dir="$build_dir"
embedrec=(java --add-modules jdk.incubator.vector -jar "cli/$build_dir/embedrec.jar")

# Runs one side, timing its wall clock; a failure is logged and left out of the table, not fatal.
run() {
    local name="$1" report="$2"; shift 2
    local log="$out/logs/$name.log" start ms
    echo "== $name"
    rm -f "$report"
    start=$(date +%s%N)
    if "$@" > "$log" 2>&1; then
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        printf '%s\t%d.%03d\n' "$report" $((ms / 1000)) $((ms % 1000)) >> "$wall"
        grep -v -e '^WARNING: Using incubator modules' -e '^I0000' -e '^E0000' -e '^WARNING: All log messages' \
            "$log" | tail -n 1
    else
        echo "   FAILED (exit $?): see $log"; tail -n 3 "$log" | sed 's/^/   /'
    fi
}

# Exports a split once per run (seed 42 as train's default), so both sides read the same rows.
split_dir() { echo "$out/splits/${1//:/-}"; }
exported=" "
export_split() {
    [[ "$exported" == *" $1 "* ]] && return 0
    run "split-${1//:/-}" "$(split_dir "$1")/split.json" "${embedrec[@]}" data split --data "$data" --split "$1" \
        --seed 42 --out "$(split_dir "$1")" --overwrite
    exported+="$1 "
}

pairs=()
for m in ${models//,/ }; do
    if [[ "$m" == two-tower ]]; then
        export_split random:0.8
        for layers in $two_tower_layers; do
            name="two-tower-${layers//,/-}"
            e="$out/$name.embedrec.json"; r="$out/$name.tfrs.json"
            run "$name.embedrec" "$e" "${embedrec[@]}" train --model two-tower --data "$data" --split random:0.8 \
                --seed 42 --layers "$layers" --epochs "$two_tower_epochs" --optimizer adagrad --lr 0.1 \
                --batch-size 2048 --validation-freq 5 --threads "$threads" --report "$e" --plot "${e%.json}.png" --quiet
            run "$name.tfrs" "$r" "$python" bench/reference/tfrs_deep_retrieval.py \
                --split-dir "$(split_dir random:0.8)" --layers "$layers" --epochs "$two_tower_epochs" --lr 0.1 \
                --batch-size 2048 --validation-freq 5 --seed 42 --adapt-on train --threads "$threads" \
                --report "$r" --quiet
            pairs+=("$name=$e,$r")
        done
    else
        export_split ml-100k:u1
        e="$out/$m.embedrec.json"; r="$out/$m.keras.json"
        run "$m.embedrec" "$e" "${embedrec[@]}" train --model "$m" --data "$data" --split ml-100k:u1 \
            "${rating_epochs[@]}" --threads "$threads" --report "$e" --quiet
        # The Keras model takes its configuration from embedrec's report of the same run.
        if [[ -f "$e" ]]; then
            run "$m.keras" "$r" "$python" bench/reference/keras_rating.py --model "$m" \
                --split-dir "$(split_dir ml-100k:u1)" --embedrec-report "$e" --threads "$threads" --report "$r" --quiet
        else
            echo "== $m.keras: skipped (no embedrec report to take the configuration from)"
        fi
        pairs+=("$m=$e,$r")
    fi
done

echo
"$python" bench/reference/compare_table.py --threads "$threads" --wall "$wall" "${pairs[@]}" | tee "$out/table.txt"
echo "reports, splits and logs: $out"
