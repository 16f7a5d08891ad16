#!/usr/bin/env python3
"""The deep retrieval model of the TensorFlow Recommenders tutorial, on a split exported by embedrec.

The model is the one of "Building deep retrieval models"
(https://www.tensorflow.org/recommenders/examples/deep_recommenders, source
tensorflow/recommenders docs/examples/deep_recommenders.ipynb), kept as the tutorial builds it:

- query tower: user id (StringLookup + Embedding 32), timestamp bucket (Discretization over 1000
  evenly spaced boundaries + Embedding 32) and the normalised timestamp, concatenated, then
  Dense layers of `--layers` (relu on all but the last);
- candidate tower: title (StringLookup + Embedding 32) and title text (TextVectorization with
  10,000 tokens + Embedding 32 with mask_zero + GlobalAveragePooling1D), then the same stack;
- tfrs.tasks.Retrieval (in-batch softmax, summed over the batch) with FactorizedTopK over the
  whole title catalogue (`movies.batch(128).map(candidate_model)`), metrics only when not training;
- Adagrad(0.1), training batches of 2048 reshuffled every epoch, test batches of 4096.

What differs from the tutorial, and why:
- the rows are read from `embedrec data split` (train.csv, test.csv, items.csv) instead of
  tensorflow-datasets, so both systems train and test on the same rows;
- user ids, timestamp boundaries and the timestamp normalisation are adapted on all rows, as the
  tutorial does, or with `--adapt-on train` on the training rows only, as embedrec's two-tower
  does (compare.sh passes that, so both sides preprocess from the same rows); title vocabularies
  come from the whole catalogue either way;
- Normalization(axis=None) with a reshape to [batch, 1], as the featurization tutorial now writes
  it (the deep-retrieval notebook's bare Normalization() predates Keras's axis handling);
- fit runs without validation_data and a callback validates every `--validation-freq` epochs and
  after the last, so epoch seconds exclude validation (see validated_epochs.py);
- the towers take their vocabularies as constructor arguments instead of reading notebook globals;
- a Mean metric records each epoch's mean batch loss for the history (TFRS itself logs only the
  last batch's loss); the loss is TFRS's, summed over each batch's examples.
"""

import argparse
import sys
import time

import numpy as np

from pinned_tensorflow import pin, tf
import tensorflow_recommenders as tfrs  # noqa: E402  (after pinned_tensorflow: Keras 2)
from run_report import RunReport
from split_files import SplitFiles
from validated_epochs import ValidatedEpochs


class UserModel(tf.keras.Model):
    def __init__(self, unique_user_ids, timestamps, timestamp_buckets, dim):
        super().__init__()
        self.user_embedding = tf.keras.Sequential([
            tf.keras.layers.StringLookup(vocabulary=unique_user_ids, mask_token=None),
            tf.keras.layers.Embedding(len(unique_user_ids) + 1, dim),
        ])
        self.timestamp_embedding = tf.keras.Sequential([
            tf.keras.layers.Discretization(timestamp_buckets.tolist()),
            tf.keras.layers.Embedding(len(timestamp_buckets) + 1, dim),
        ])
        self.normalized_timestamp = tf.keras.layers.Normalization(axis=None)
        self.normalized_timestamp.adapt(timestamps.astype(np.float32))

    def call(self, inputs):
        # Take the input dictionary, pass it through each input layer, and concatenate the result.
        return tf.concat([
            self.user_embedding(inputs["user_id"]),
            self.timestamp_embedding(inputs["timestamp"]),
            tf.reshape(self.normalized_timestamp(inputs["timestamp"]), (-1, 1)),
        ], axis=1)


class MovieModel(tf.keras.Model):
    def __init__(self, unique_movie_titles, movies, dim, max_tokens):
        super().__init__()
        self.title_embedding = tf.keras.Sequential([
            tf.keras.layers.StringLookup(vocabulary=unique_movie_titles, mask_token=None),
            tf.keras.layers.Embedding(len(unique_movie_titles) + 1, dim),
        ])
        self.title_vectorizer = tf.keras.layers.TextVectorization(max_tokens=max_tokens)
        self.title_text_embedding = tf.keras.Sequential([
            self.title_vectorizer,
            tf.keras.layers.Embedding(max_tokens, dim, mask_zero=True),
            tf.keras.layers.GlobalAveragePooling1D(),
        ])
        self.title_vectorizer.adapt(movies)

    def call(self, titles):
        return tf.concat([self.title_embedding(titles), self.title_text_embedding(titles)], axis=1)


def dense_layers(layer_sizes):
    """Dense layers of `layer_sizes`: ReLU on all but the last, which has no activation."""
    stack = tf.keras.Sequential()
    for size in layer_sizes[:-1]:
        stack.add(tf.keras.layers.Dense(size, activation="relu"))
    for size in layer_sizes[-1:]:
        stack.add(tf.keras.layers.Dense(size))
    return stack


class QueryModel(tf.keras.Model):
    """Model for encoding user queries."""

    def __init__(self, layer_sizes, user_model):
        super().__init__()
        self.embedding_model = user_model
        self.dense_layers = dense_layers(layer_sizes)

    def call(self, inputs):
        return self.dense_layers(self.embedding_model(inputs))


class CandidateModel(tf.keras.Model):
    """Model for encoding movies."""

    def __init__(self, layer_sizes, movie_model):
        super().__init__()
        self.embedding_model = movie_model
        self.dense_layers = dense_layers(layer_sizes)

    def call(self, inputs):
        return self.dense_layers(self.embedding_model(inputs))


class MovielensModel(tfrs.models.Model):
    def __init__(self, query_model, candidate_model, movies):
        super().__init__()
        self.query_model = query_model
        self.candidate_model = candidate_model
        self.task = tfrs.tasks.Retrieval(
            metrics=tfrs.metrics.FactorizedTopK(candidates=movies.batch(128).map(self.candidate_model)))
        # Not in the tutorial: TFRS logs the last batch's loss, this the mean over the epoch's
        # batches, as embedrec's history does. Keras resets it at the start of each epoch.
        self.epoch_loss = tf.keras.metrics.Mean(name="epoch_loss")

    def compute_loss(self, features, training=False):
        # Only user id and timestamp go into the query model, as in the tutorial.
        query_embeddings = self.query_model({
            "user_id": features["user_id"],
            "timestamp": features["timestamp"],
        })
        movie_embeddings = self.candidate_model(features["movie_title"])
        loss = self.task(query_embeddings, movie_embeddings, compute_metrics=not training)
        if training:
            self.epoch_loss.update_state(loss)
        return loss


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--split-dir", required=True, help="directory written by `embedrec data split`")
    p.add_argument("--layers", default="64,32", help="dense layer sizes of both towers (default 64,32)")
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--lr", type=float, default=0.1, help="Adagrad learning rate (default 0.1)")
    p.add_argument("--batch-size", type=int, default=2048)
    p.add_argument("--validation-freq", type=int, default=5)
    p.add_argument("--embedding-dim", type=int, default=32, help="width of each feature embedding (tutorial: 32)")
    p.add_argument("--timestamp-buckets", type=int, default=1000)
    p.add_argument("--max-tokens", type=int, default=10_000)
    p.add_argument("--adapt-on", choices=("all", "train"), default="all",
                   help="rows the user vocabulary and timestamp preprocessing are adapted on (tutorial: all)")
    p.add_argument("--threads", type=int, required=True, help="TensorFlow intra- and inter-op threads")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--report", required=True, help="JSON report in embedrec's --report schema")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    try:
        args.layer_sizes = [int(x) for x in args.layers.split(",")]
    except ValueError:
        p.error(f"--layers '{args.layers}' is not a comma-separated list of integers")
    if not args.layer_sizes or min(args.layer_sizes) < 1:
        p.error(f"--layers '{args.layers}': expected positive sizes such as 64,32")
    for name in ("epochs", "batch_size", "validation_freq", "embedding_dim"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    return args


def features(frame):
    return {
        "user_id": frame["user_id"].to_numpy(dtype=object).astype(str),
        "timestamp": frame["timestamp"].to_numpy(dtype=np.int64),
        "movie_title": frame["title"].to_numpy(dtype=object).astype(str),
    }


def top_k(results):
    """TFRS's evaluate() keys (factorized_top_k/top_100_categorical_accuracy) as embedrec's (top_100_accuracy)."""
    ks = sorted((int(name.split("/top_")[1].split("_")[0]), name) for name in results if "/top_" in name)
    out = {f"top_{k}_accuracy": results[name] for k, name in ks}
    out["loss"] = results["loss"]
    return out


def main(argv):
    args = parse_args(argv)
    pin(args.threads, args.seed)
    log = (lambda s: None) if args.quiet else (lambda s: print(s, flush=True))

    load_start = time.perf_counter()
    split = SplitFiles(args.split_dir)
    for frame in ("train", "test"):
        split.require(frame, ["user_id", "timestamp", "title"], "the deep retrieval model")
    split.require("items", ["title"], "FactorizedTopK over all titles")
    train_features = features(split.train)
    test_features = features(split.test)
    catalogue = split.items["title"].to_numpy(dtype=object).astype(str)
    movies = tf.data.Dataset.from_tensor_slices(catalogue)

    # The tutorial adapts on all ratings and all movies.
    adapted = [train_features] if args.adapt_on == "train" else [train_features, test_features]
    timestamps = np.concatenate([f["timestamp"] for f in adapted])
    timestamp_buckets = np.linspace(timestamps.min(), timestamps.max(), num=args.timestamp_buckets)
    unique_movie_titles = np.unique(catalogue)
    unique_user_ids = np.unique(np.concatenate([f["user_id"] for f in adapted]))

    train = tf.data.Dataset.from_tensor_slices(train_features)
    test = tf.data.Dataset.from_tensor_slices(test_features)
    cached_train = train.shuffle(100_000, seed=args.seed).batch(args.batch_size)
    cached_test = test.batch(4096).cache()

    dim = args.embedding_dim
    model = MovielensModel(
        QueryModel(args.layer_sizes, UserModel(unique_user_ids, timestamps, timestamp_buckets, dim)),
        CandidateModel(args.layer_sizes, MovieModel(unique_movie_titles, movies, dim, args.max_tokens)),
        movies)
    model.compile(optimizer=tf.keras.optimizers.Adagrad(args.lr))
    load_seconds = time.perf_counter() - load_start

    def validate():
        return top_k(model.evaluate(cached_test, verbose=0, return_dict=True))

    config = {
        "layers": args.layer_sizes, "embeddingDim": dim, "optimizer": "adagrad", "learningRate": args.lr,
        "batchSize": args.batch_size, "epochs": args.epochs, "validationFreq": args.validation_freq,
        "timestampBuckets": args.timestamp_buckets, "maxTokens": args.max_tokens, "adaptOn": args.adapt_on,
        "seed": args.seed,
        "threads": args.threads,
    }
    report = RunReport("tfrs", "two-tower").dataset(split.manifest).config(config)
    epochs = ValidatedEpochs(report, args.epochs, args.validation_freq, validate, log, loss_key="epoch_loss")
    log(f"tfrs deep retrieval {args.layers}: {len(split.train)} train, {len(split.test)} test rows, "
        f"{len(catalogue)} candidates, {args.threads} threads ({load_seconds:.1f}s to load)")
    model.fit(cached_train, epochs=args.epochs, verbose=0, callbacks=[epochs])

    metrics = epochs.last_validation
    report.metrics(metrics).timing("load_seconds", load_seconds)
    report.timing("evaluation_seconds", report.history[-1]["validation_seconds"])
    report.write(args.report, args.threads, len(split.train))
    timing = report.root["timing"]
    print(f"tfrs two-tower {args.layers}: top-100 accuracy {metrics['top_100_accuracy']:.4f}  |  {args.epochs} epochs, "
          f"{timing['train_seconds']:.2f}s training, median {timing['median_epoch_seconds']:.3f}s/epoch", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
