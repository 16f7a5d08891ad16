"""The JSON report of a reference run, in the schema of embedrec's `--report` (cli RunReport.java).

Keys: model, dataset, split, config, history (one entry per epoch: epoch, loss, seconds, and
validation_seconds and val when validated), metrics (on the test split), timing and machine,
plus `system` ("tfrs" or "keras") and `reference` (library versions), which embedrec's reports
do not have. Non-finite numbers are written as null. The file is written atomically (temporary
file in the same directory, then rename), as embedrec writes its own.
"""

import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time


def _number(value):
    value = float(value)
    return value if math.isfinite(value) else None


class RunReport:
    def __init__(self, system, model):
        self.system = system
        self.root = {
            "embedrec_version": None,
            "system": system,
            "command": "train",
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "model": model,
        }
        self.history = []

    def dataset(self, manifest):
        """The data set and split from an exported split's split.json."""
        self.root["dataset"] = {
            "name": manifest["dataset"],
            "interactions": manifest["interactions"],
            "users": manifest["users"],
            "items": manifest["items"],
        }
        self.root["split"] = {
            "spec": manifest["split"],
            "seed": manifest["seed"],
            "train": manifest["train"],
            "test": manifest["test"],
        }
        return self

    def config(self, config):
        self.root["config"] = config
        return self

    def epoch(self, epoch, loss, seconds, validation=None, validation_seconds=None):
        row = {"epoch": epoch, "loss": _number(loss), "seconds": _number(seconds)}
        if validation is not None:
            row["validation_seconds"] = _number(validation_seconds)
            row["val"] = {k: _number(v) for k, v in validation.items()}
        self.history.append(row)
        return self

    def metrics(self, metrics):
        self.root["metrics"] = {k: _number(v) for k, v in metrics.items()}
        return self

    def timing(self, key, seconds):
        self.root.setdefault("timing", {})[key] = _number(seconds)
        return self

    def write(self, path, threads, train_examples):
        seconds = [row["seconds"] for row in self.history]
        total = sum(seconds)
        timing = self.root.setdefault("timing", {})
        timing["train_seconds"] = total
        timing["median_epoch_seconds"] = statistics.median(seconds) if seconds else None
        timing["examples_per_second"] = train_examples * len(seconds) / total if total > 0 else None
        self.root["history"] = self.history
        self.root["machine"] = machine(threads)
        self.root["reference"] = versions()
        # Same key order as embedrec's report, for side-by-side reading.
        order = ["embedrec_version", "system", "command", "created", "model", "dataset", "split", "config",
                 "history", "timing", "metrics", "machine", "reference"]
        ordered = {k: self.root[k] for k in order if k in self.root}
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path), suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(ordered, out, indent=2)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)


def machine(threads):
    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "threads": threads,
        "python": sys.version.split()[0],
        "os": f"{platform.system()} {platform.machine()}",
        "cpu": cpu,
    }


def versions():
    import numpy
    import pandas
    import tensorflow as tf

    out = {"tensorflow": tf.__version__, "numpy": numpy.__version__, "pandas": pandas.__version__}
    try:
        import tf_keras

        out["tf_keras"] = tf_keras.__version__
    except ImportError:
        pass
    try:
        import tensorflow_recommenders as tfrs

        out["tensorflow_recommenders"] = tfrs.__version__
    except ImportError:
        pass
    out["onednn"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)")
    return out
