#!/usr/bin/env bash
# Creates bench/.venv (ignored by git) with the pinned TensorFlow, tf-keras, TensorFlow
# Recommenders, numpy and pandas of requirements.txt. Idempotent: a venv whose installed pins
# match requirements.txt is left alone (a stamp file records the requirements it was built from).
# Not part of ./mvnw verify or CI.
#
#   bench/reference/setup.sh            # create or bring up to date
#   PYTHON=python3.11 bench/reference/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv"
requirements="$here/requirements.txt"
stamp="$venv/.embedrec-requirements"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null; then
    echo "setup.sh: $python not found; set PYTHON to a Python 3.11 interpreter" >&2
    exit 2
fi
version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
case "$version" in
    3.9|3.10|3.11|3.12) ;;
    *) echo "setup.sh: $python is Python $version; TensorFlow 2.21 wheels need 3.9 to 3.12" >&2; exit 2 ;;
esac

if [[ -f "$stamp" ]] && cmp -s "$stamp" "$requirements"; then
    echo "bench/.venv is up to date ($(grep -c '==' "$requirements") pinned packages)"
    exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv with Python $version"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$requirements"
# Fail now, not in the middle of a comparison, if the pins do not work together.
TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=2 "$venv/bin/python" - <<'PY'
import numpy, pandas, tensorflow as tf, tf_keras, tensorflow_recommenders as tfrs
assert tf.keras.__name__.startswith("tf_keras"), "tf.keras is not tf-keras: is TF_USE_LEGACY_KERAS=1 honoured?"
print(f"tensorflow {tf.__version__}, tf-keras {tf_keras.__version__}, tensorflow-recommenders {tfrs.__version__}, "
      f"numpy {numpy.__version__}, pandas {pandas.__version__}")
PY
cp "$requirements" "$stamp"
