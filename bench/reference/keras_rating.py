#!/usr/bin/env python3
"""Keras versions of embedrec's rating models (dot-mlp, ncf-mlp, wide-deep) on an exported split.

Each model mirrors its embedrec definition (recsys org.embedrec.models), with Keras's defaults
where embedrec follows them (Embedding uniform(-0.05, 0.05), Dense Glorot-uniform with zero bias,
optimizers' defaults but the learning rate):

- dot-mlp (DotMlp): r = mu + b_u + b_i + head(drop(p_u) . drop(q_i)); biases start at zero; the
  head Dense(h, relu)... -> Dense(1) starts as the identity map (DenseStack.identityOnScalar: pairs
  of units relu(s - t_k), relu(t_k - s) with kinks t_k spread over [-2, 2], read back by their
  mean) and has no dropout of its own;
- ncf-mlp (NcfMlp): r = mu + MLP(drop([p_u ; q_i]));
- wide-deep (WideAndDeep, RatingFeatures): r = mu + wide(x) + deep(x). Base fields: user, item,
  occupation, gender, age bucket (boundaries 18, 25, ... 65; 0 when unknown) and the item's genres
  (multi-valued, padded). wide: a bias plus one width-1 zero-initialised embedding per base field
  and per hashed cross (user x genre, occupation x genre, 20,000 buckets each), padded positions
  masked out and summed; deep: one embedding per base field (genres mean-pooled over the non-padded
  ones), concatenated, dropped out, then the MLP. Trained as tf.keras.experimental.WideDeepModel
  with two optimizers: the wide optimizer (FTRL) on the wide part, the deep one (Adam) on the deep
  part.

MLP is Dense(h, relu) for each hidden size h (dropout after each when > 0) then Dense(1); drop() is
inverted dropout at the config's rate, as embedrec's Dropout. mu is the
mean training rating, a constant, as embedrec's global bias. With l2 > 0 the looked-up user and
item embedding rows add l2 / batch * (sum of their squares) to the loss, as embedrec's lazy L2.
Loss: mean squared error. Validation and test RMSE/MAE are on predictions clipped to the training
ratings' range; the validation loss is the unclipped MSE, as embedrec's Ranking task reports.

Hyper-parameters come from embedrec's report of the same model (`--embedrec-report`, its
"config"), so both sides train the same configuration however embedrec's defaults change; flags
override single values. A hashed cross here uses SplitMix64's finaliser as embedrec does, but
over this script's dense ids for occupations, so colliding pairs may differ (the rate does not).

Known difference: Keras applies Adam to an embedding's sparse gradient densely (every row's
moments decay each step), where embedrec's Adam updates only the looked-up rows (lazy Adam).
"""

import argparse
import json
import sys
import time

import numpy as np

from pinned_tensorflow import pin, tf
from run_report import RunReport
from split_files import SplitFiles
from validated_epochs import ValidatedEpochs

MODELS = ("dot-mlp", "ncf-mlp", "wide-deep")
AGE_BOUNDARIES = np.array([18, 25, 30, 35, 40, 45, 50, 55, 60, 65])
CROSS_BUCKETS = 20_000
HEAD_KINK_SPREAD = 2.0  # DotMlp.HEAD_KINK_SPREAD
EVAL_BATCH = 8192
# embedrec RatingModelConfig field -> (flag, type)
CONFIG_FIELDS = {
    "embeddingDim": ("embedding_dim", int), "hiddenUnits": ("layers", list), "learningRate": ("lr", float),
    "wideLearningRate": ("wide_lr", float), "l2": ("l2", float), "dropout": ("dropout", float),
    "optimizer": ("optimizer", str), "wideOptimizer": ("wide_optimizer", str), "batchSize": ("batch_size", int),
    "epochs": ("epochs", int), "pretrainEpochs": ("pretrain_epochs", int), "seed": ("seed", int),
}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, choices=MODELS)
    p.add_argument("--split-dir", required=True, help="directory written by `embedrec data split`")
    p.add_argument("--embedrec-report", help="embedrec's --report of the same model: its config is used")
    p.add_argument("--threads", type=int, required=True, help="TensorFlow intra- and inter-op threads")
    p.add_argument("--report", required=True, help="JSON report in embedrec's --report schema")
    p.add_argument("--quiet", action="store_true")
    for field, (flag, kind) in CONFIG_FIELDS.items():
        p.add_argument("--" + flag.replace("_", "-"), type=str if kind is list else kind,
                       help=f"overrides config '{field}'" + (" (comma-separated)" if kind is list else ""))
    args = p.parse_args(argv)
    config = {}
    if args.embedrec_report:
        with open(args.embedrec_report, encoding="utf-8") as f:
            embedrec = json.load(f)
        if embedrec.get("model") != args.model:
            p.error(f"--embedrec-report {args.embedrec_report} is a report of '{embedrec.get('model')}', "
                    f"not of '{args.model}'")
        unknown = sorted(set(embedrec["config"]) - set(CONFIG_FIELDS))
        if unknown:
            p.error(f"--embedrec-report {args.embedrec_report}: config field(s) {unknown} are not mirrored by "
                    f"keras_rating.py; add them to its models before comparing")
        config.update(embedrec["config"])
    for field, (flag, kind) in CONFIG_FIELDS.items():
        value = getattr(args, flag)
        if value is not None:
            config[field] = [int(x) for x in value.split(",") if x.strip()] if kind is list else value
    missing = [f for f in CONFIG_FIELDS if f not in config]
    if missing:
        p.error("no value for " + ", ".join("--" + CONFIG_FIELDS[f][0].replace("_", "-") for f in missing)
                + "; pass them or --embedrec-report")
    if config["pretrainEpochs"] > 0:
        p.error(f"pretrainEpochs {config['pretrainEpochs']}: pre-training each part alone is not mirrored here")
    args.config = config
    return args


def optimizer(name, lr):
    kinds = {"adam": tf.keras.optimizers.Adam, "adagrad": tf.keras.optimizers.Adagrad,
             "sgd": tf.keras.optimizers.SGD, "ftrl": tf.keras.optimizers.Ftrl,
             "rmsprop": tf.keras.optimizers.RMSprop}
    if name not in kinds:
        raise SystemExit(f"unknown optimizer '{name}': expected one of {', '.join(kinds)}")
    return kinds[name](learning_rate=lr)


def split_mix_cross(x, y, salt, buckets):
    """embedrec's SparseFields.hash: SplitMix64's finaliser over both ids and the cross's salt."""
    with np.errstate(over="ignore"):
        z = (x.astype(np.int64).astype(np.uint64) << np.uint64(32)) ^ (y.astype(np.int64).astype(np.uint64)
                                                                        & np.uint64(0xFFFFFFFF))
        z ^= np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return (z % np.uint64(buckets)).astype(np.int64)


class Features:
    """Dense model inputs of a split: ids by users.csv / items.csv row (embedrec's dense ids)."""

    def __init__(self, split, side):
        if split.users is not None:
            user_ids = split.users["user_id"]
        else:
            user_ids = sorted(set(split.train["user_id"]) | set(split.test["user_id"]))
        self.user_index = {u: k for k, u in enumerate(user_ids)}
        self.item_index = {i: k for k, i in enumerate(split.items["item_id"])}
        self.num_users = len(self.user_index)
        self.num_items = len(self.item_index)
        self.side = side
        if side:
            split.require("users", ["age", "gender", "occupation"], "wide-deep")
            split.require("items", ["genres"], "wide-deep")
            users = split.users
            self.occupation, self.num_occupations = self._codes(users["occupation"])
            self.gender, self.num_genders = self._codes(users["gender"])
            ages = np.array([int(a) if a else -1 for a in users["age"]])
            self.age = np.where(ages < 0, 0, np.searchsorted(AGE_BOUNDARIES, ages, side="right") + 1)
            self.num_ages = len(AGE_BOUNDARIES) + 2
            genre_names = split.manifest.get("genres") or sorted(
                {g for gs in split.items["genres"] for g in gs.split("|") if g})
            genre_index = {g: k for k, g in enumerate(genre_names)}
            lists = [[genre_index[g] for g in gs.split("|") if g] for gs in split.items["genres"]]
            self.genre_width = max(1, max(len(g) for g in lists))
            # Genre k is stored as k + 1 so that 0 can be the padding (masked) position.
            self.genres = np.zeros((self.num_items, self.genre_width), dtype=np.int64)
            for i, g in enumerate(lists):
                self.genres[i, :len(g)] = np.array(g, dtype=np.int64) + 1
            self.num_genres = len(genre_names)

    @staticmethod
    def _codes(column):
        values = sorted(set(column))
        index = {v: k + 1 for k, v in enumerate(v for v in values if v)}
        return np.array([index.get(v, 0) for v in column], dtype=np.int64), len(index) + 1

    def inputs(self, frame):
        users = np.array([self.user_index[u] for u in frame["user_id"]], dtype=np.int64)
        items = np.array([self.item_index[i] for i in frame["item_id"]], dtype=np.int64)
        x = {"user": users, "item": items}
        if self.side:
            genres = self.genres[items]
            pad = genres == 0
            x.update(occupation=self.occupation[users], gender=self.gender[users], age_bucket=self.age[users],
                     genres=genres)
            crossed = []
            for salt, first in enumerate((users, self.occupation[users]), start=1):
                ids = split_mix_cross(np.repeat(first[:, None], self.genre_width, 1), genres - 1, salt, CROSS_BUCKETS)
                crossed.append(np.where(pad, 0, ids + 1))
            x["user_x_genres"], x["occupation_x_genres"] = crossed
        return x


def build(name, features, config, mu):
    layers = tf.keras.layers
    dim = config["embeddingDim"]
    dropout = config["dropout"]
    l2 = config["l2"]

    def drop(x):
        return layers.Dropout(dropout)(x) if dropout > 0 else x

    def mlp(x):
        for units in config["hiddenUnits"]:
            x = layers.Dense(units, activation="relu")(x)
            x = drop(x)
        return layers.Dense(1)(x)

    def identity_head(x):
        weights = identity_head_weights(config["hiddenUnits"], HEAD_KINK_SPREAD)
        for k, (kernel, bias) in enumerate(weights):
            last = k == len(weights) - 1
            x = layers.Dense(kernel.shape[1], activation=None if last else "relu",
                             kernel_initializer=tf.keras.initializers.Constant(kernel),
                             bias_initializer=tf.keras.initializers.Constant(bias))(x)
        return x

    def scalar(name):
        return tf.keras.Input(shape=(), dtype="int64", name=name)

    def plus_mu(x):
        return layers.Lambda(lambda t: tf.squeeze(t, -1) + mu)(x)

    user, item = scalar("user"), scalar("item")
    if name in ("dot-mlp", "ncf-mlp"):
        p = layers.Embedding(features.num_users, dim, name="user_embedding")(user)
        q = layers.Embedding(features.num_items, dim, name="item_embedding")(item)
        if name == "dot-mlp":
            out = identity_head(layers.Dot(axes=1)([drop(p), drop(q)]))
            zeros = tf.keras.initializers.Zeros()
            b_u = layers.Embedding(features.num_users, 1, embeddings_initializer=zeros, name="user_bias")(user)
            b_i = layers.Embedding(features.num_items, 1, embeddings_initializer=zeros, name="item_bias")(item)
            out = layers.Add()([out, b_u, b_i])
        else:
            out = mlp(drop(layers.Concatenate()([p, q])))
        model = tf.keras.Model({"user": user, "item": item}, plus_mu(out), name=name)
        if l2 > 0:
            model.add_loss(l2 * (tf.reduce_sum(tf.square(p)) + tf.reduce_sum(tf.square(q)))
                           / tf.cast(tf.shape(p)[0], tf.float32))
        return model

    f = features
    width = f.genre_width
    inputs = {"user": user, "item": item, "occupation": scalar("occupation"), "gender": scalar("gender"),
              "age_bucket": scalar("age_bucket"),
              "genres": tf.keras.Input(shape=(width,), dtype="int64", name="genres"),
              "user_x_genres": tf.keras.Input(shape=(width,), dtype="int64", name="user_x_genres"),
              "occupation_x_genres": tf.keras.Input(shape=(width,), dtype="int64", name="occupation_x_genres")}
    single = [("user", f.num_users), ("item", f.num_items), ("occupation", f.num_occupations),
              ("gender", f.num_genders), ("age_bucket", f.num_ages)]
    padded = [("genres", f.num_genres + 1), ("user_x_genres", CROSS_BUCKETS + 1),
              ("occupation_x_genres", CROSS_BUCKETS + 1)]

    zeros = tf.keras.initializers.Zeros()
    wide_terms = [layers.Embedding(rows, 1, embeddings_initializer=zeros, name=f"wide_{n}")(inputs[n])
                  for n, rows in single]
    for n, rows in padded:
        w = layers.Embedding(rows, 1, embeddings_initializer=zeros, name=f"wide_{n}")(inputs[n])
        mask = layers.Lambda(lambda ids: tf.cast(ids > 0, tf.float32)[..., None])(inputs[n])
        wide_terms.append(layers.Lambda(lambda t: tf.reduce_sum(t[0] * t[1], axis=1))([w, mask]))
    wide = tf.keras.Model(inputs, BiasAndMu(mu, name="wide_bias")(layers.Add()(wide_terms)), name="wide")

    deep_parts = [layers.Embedding(rows, dim, name=f"deep_{n}")(inputs[n]) for n, rows in single]
    g = layers.Embedding(f.num_genres + 1, dim, name="deep_genres")(inputs["genres"])
    deep_parts.append(layers.Lambda(masked_mean)([g, inputs["genres"]]))
    deep = tf.keras.Model(inputs, layers.Lambda(lambda t: tf.squeeze(t, -1))(mlp(drop(layers.Concatenate()(deep_parts)))),
                          name="deep")
    return tf.keras.experimental.WideDeepModel(wide, deep, name="wide_deep")


def identity_head_weights(hidden, spread):
    """(kernel, bias) per Dense layer of a 1 -> hidden... -> 1 stack computing f(s) = s before
    training, as embedrec's DenseStack.identityOnScalar builds it."""

    def read_back(kernel, column, sign):
        # column `column` = sign * s, read from the scalar or as the mean of the pairs' differences
        width = kernel.shape[0]
        if width == 1:
            kernel[0, column] = sign
            return
        pairs = width // 2
        for k in range(pairs):
            kernel[2 * k, column] = sign / pairs
            kernel[2 * k + 1, column] = -sign / pairs

    weights = []
    width = 1
    for layer, units in enumerate(hidden):
        if units < 2:
            raise SystemExit(f"dot-mlp: hidden layer {layer} has {units} unit(s); an identity start needs at least 2")
        kernel = np.zeros((width, units), dtype=np.float32)
        for j in range(units):
            # an odd width's extra unit copies unit 0
            read_back(kernel, j, 1.0 if j % 2 == 0 or (j == units - 1 and units % 2 == 1) else -1.0)
        bias = np.zeros(units, dtype=np.float32)
        pairs = units // 2
        for k in range(pairs):
            t = np.float32(spread) * np.float32((2 * k + 1) / pairs - 1)
            bias[2 * k], bias[2 * k + 1] = -t, t
        if units % 2 == 1:
            bias[units - 1] = bias[0]
        weights.append((kernel, bias))
        width = units
    out = np.zeros((width, 1), dtype=np.float32)
    read_back(out, 0, 1.0)
    weights.append((out, np.zeros(1, dtype=np.float32)))
    return weights


class BiasAndMu(tf.keras.layers.Layer):
    """x + b + mu: the wide part's trainable bias (starting at 0) and the constant mean rating."""

    def __init__(self, mu, **kwargs):
        super().__init__(**kwargs)
        self.mu = mu

    def build(self, shape):
        self.bias = self.add_weight(name="bias", shape=(), initializer="zeros")

    def call(self, x):
        return tf.squeeze(x, -1) + self.bias + self.mu


def masked_mean(t):
    """Mean of the embeddings of the non-padded ids (id 0 is padding); zero when there are none."""
    rows, ids = t
    mask = tf.cast(ids > 0, tf.float32)
    count = tf.reduce_sum(mask, axis=1, keepdims=True)
    return tf.reduce_sum(rows * mask[..., None], axis=1) / tf.maximum(count, 1.0)


def main(argv):
    args = parse_args(argv)
    config = args.config
    pin(args.threads, config["seed"])
    log = (lambda s: None) if args.quiet else (lambda s: print(s, flush=True))
    load_start = time.perf_counter()
    split = SplitFiles(args.split_dir)
    for frame in ("train", "test"):
        split.require(frame, ["user_id", "item_id", "rating"], "a rating model")
    features = Features(split, side=args.model == "wide-deep")
    x_train, x_test = features.inputs(split.train), features.inputs(split.test)
    y_train = split.train["rating"].to_numpy(dtype=np.float32)
    y_test = split.test["rating"].to_numpy(dtype=np.float32)
    lo, hi = float(y_train.min()), float(y_train.max())
    mu = float(np.mean(y_train, dtype=np.float64))

    model = build(args.model, features, config, mu)
    if args.model == "wide-deep":
        opt = [optimizer(config["wideOptimizer"], config["wideLearningRate"]),
               optimizer(config["optimizer"], config["learningRate"])]
    else:
        opt = optimizer(config["optimizer"], config["learningRate"])
    model.compile(optimizer=opt, loss="mse")
    load_seconds = time.perf_counter() - load_start

    def validate():
        predictions = model.predict(x_test, batch_size=EVAL_BATCH, verbose=0).reshape(-1).astype(np.float64)
        errors = np.clip(predictions, lo, hi) - y_test
        return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
                "loss": float(np.mean((predictions - y_test) ** 2))}

    report = RunReport("keras", args.model).dataset(split.manifest).config(dict(config, threads=args.threads))
    epochs = ValidatedEpochs(report, config["epochs"], 1, validate, log)
    log(f"keras {args.model}: {len(y_train)} train, {len(y_test)} test rows, {args.threads} threads "
        f"({load_seconds:.1f}s to load)")
    model.fit(x_train, y_train, batch_size=config["batchSize"], epochs=config["epochs"], shuffle=True, verbose=0,
              callbacks=[epochs])

    metrics = epochs.last_validation
    report.metrics(metrics).timing("load_seconds", load_seconds)
    report.timing("evaluation_seconds", report.history[-1]["validation_seconds"])
    report.write(args.report, args.threads, len(y_train))
    timing = report.root["timing"]
    print(f"keras {args.model}: test rmse {metrics['rmse']:.4f}  mae {metrics['mae']:.4f}  |  {config['epochs']} epochs, "
          f"{timing['train_seconds']:.2f}s training, median {timing['median_epoch_seconds']:.3f}s/epoch", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
