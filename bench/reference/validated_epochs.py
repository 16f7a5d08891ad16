"""A Keras callback that times each training epoch apart from validation.

`model.fit` is run without validation data, so the time from `on_epoch_begin` to `on_epoch_end`
is training alone (the first epoch also holds tf.function tracing, as embedrec's first epoch
holds JIT warm-up; compare medians). Every `freq` epochs, and after the last as embedrec's
trainer does, `validate()` runs and is timed on its own; both go into the RunReport history.
The epoch's loss is `logs[loss_key]`. No batch-level hooks: a callback with batch hooks makes
Keras synchronise on every step.
"""

import time

import tensorflow as tf


class ValidatedEpochs(tf.keras.callbacks.Callback):
    def __init__(self, report, epochs, freq, validate, log=None, loss_key="loss"):
        super().__init__()
        self.report = report
        self.epochs = epochs
        self.freq = freq
        self.validate = validate
        self.log = log
        self.loss_key = loss_key
        self.last_validation = None
        self._start = None

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self._start
        number = epoch + 1
        loss = (logs or {}).get(self.loss_key, float("nan"))
        if number % self.freq == 0 or number == self.epochs:
            start = time.perf_counter()
            metrics = self.validate()
            validation_seconds = time.perf_counter() - start
            self.last_validation = metrics
            self.report.epoch(number, loss, seconds, metrics, validation_seconds)
            if self.log:
                shown = "  ".join(f"{k} {v:.4f}" for k, v in metrics.items())
                self.log(f"epoch {number}/{self.epochs}: loss {float(loss):.4f}  {seconds:.2f}s  |  val {shown} "
                         f"({validation_seconds:.2f}s)")
        else:
            self.report.epoch(number, loss, seconds)
            if self.log:
                self.log(f"epoch {number}/{self.epochs}: loss {float(loss):.4f}  {seconds:.2f}s")
