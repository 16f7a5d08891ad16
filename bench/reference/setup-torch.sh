#!/usr/bin/env bash
# Creates bench/.venv-torch (ignored by git) with the pinned PyTorch and numpy of
# requirements-torch.txt, for bench/reference/pytorch_sasrec.py. Idempotent: a venv whose
# installed pins match requirements-torch.txt is left alone (a stamp file records the
# requirements it was built from). Not part of ./mvnw verify or CI.
#
#   bench/reference/setup-torch.sh            # create or bring up to date
#   PYTHON=python3.12 bench/reference/setup-torch.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv-torch"
requirements="$here/requirements-torch.txt"
stamp="$venv/.embedrec-requirements"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null; then
    echo "setup-torch.sh: $python not found; set PYTHON to a Python 3.10 to 3.13 interpreter" >&2
    exit 2
fi
version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
case "$version" in
    3.10|3.11|3.12|3.13) ;;
    *) echo "setup-torch.sh: $python is Python $version; the pinned torch wheels need 3.10 to 3.13" >&2; exit 2 ;;
esac

if [[ -f "$stamp" ]] && cmp -s "$stamp" "$requirements"; then
    echo "bench/.venv-torch is up to date ($(grep -c '==' "$requirements") pinned packages)"
    exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv with Python $version"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$requirements"
# Fail now, not in the middle of a comparison, if the pins do not work together.
"$venv/bin/python" - <<'PY'
import numpy, torch
torch.set_num_threads(1)
x = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
assert torch.allclose(x @ x.T, (x @ x.T).T), "torch's matmul is broken"
print(f"torch {torch.__version__} (threads {torch.get_num_threads()}), numpy {numpy.__version__}")
PY
cp "$requirements" "$stamp"
