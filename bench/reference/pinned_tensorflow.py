"""TensorFlow with Keras 2, and its thread pools pinned before any op runs.

Importing this module sets TF_USE_LEGACY_KERAS=1 before TensorFlow is imported, so that
`tf.keras` is the Keras 2 (tf-keras) that TensorFlow Recommenders is written for. TensorFlow
sizes its intra-op pool (one op split over cores) and inter-op pool (independent ops run side by
side) when the first op executes; `tf.config.threading` has effect only before that, so scripts
call `pin` before they touch data.
"""

import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402  (the environment above must be set first)


def pin(threads, seed):
    """Both thread pools to `threads`; Python, numpy and TensorFlow seeded with `seed`."""
    if threads < 1:
        raise SystemExit(f"--threads must be at least 1, got {threads}")
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    if not tf.keras.__name__.startswith("tf_keras"):
        raise SystemExit("tf.keras is not tf-keras; install tf-keras (bench/reference/setup.sh) and keep "
                         "TF_USE_LEGACY_KERAS=1")
    tf.keras.utils.set_random_seed(seed)
