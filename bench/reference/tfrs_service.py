#!/usr/bin/env python3
"""The TensorFlow Recommenders side of the serving benchmark: a BruteForce index as a SavedModel
behind a small Python HTTP service answering like embedrec's GET /recommend.

Two steps, each a subcommand:

  export  trains the deep retrieval model of tfrs_deep_retrieval.py (the TFRS tutorial's, same
          towers and settings) for --epochs on the training rows of an `embedrec data split`,
          indexes every catalogue item with tfrs.layers.factorized_top_k.BruteForce (identifiers:
          the item ids) and saves, as one SavedModel, a tf.Module whose `recommend` signature takes
          the users' ids, their times and the ids to exclude and returns the top K scores and ids
          (BruteForce.query_with_exclusions, as a TFRS user leaves out what a user has seen), and a
          `recommend_all` signature without exclusions (the index called as it is);
          beside it, serving.json: each training user's latest time and seen items, and the titles.
  serve   loads the SavedModel (no TFRS import: tf.saved_model.load, as a service would) and
          answers GET /recommend?user=U&k=K&exclude_seen=true|false with embedrec's JSON shape
          {"model", "version", "source", "time", "items": [{"id", "score", "seen", "title",
          "attributes": {"title"}}]}, and GET /users?limit=N (ServeLoad reads the users from it),
          on http.server.ThreadingHTTPServer with HTTP/1.1 keep-alive. TensorFlow runs with
          --threads intra- and inter-op threads.

What a TFRS user would do without TF Serving; K is fixed when the signature is traced (BruteForce
takes k as a Python int), so the service answers k up to --k. Exclusions are padded with an id no
item has to the largest seen set, so every query asks the index for K plus that many.

  bench/.venv/bin/python bench/reference/tfrs_service.py export --split-dir /tmp/split --out /tmp/tfrs-sm \
      --epochs 3 --threads 2
  bench/.venv/bin/python bench/reference/tfrs_service.py serve --model-dir /tmp/tfrs-sm --port 18090 --threads 2
"""

import argparse
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np

from pinned_tensorflow import pin, tf

PAD_ID = "\x00none"


def export(args):
    pin(args.threads, args.seed)
    import tensorflow_recommenders as tfrs  # noqa: E402  (after pinned_tensorflow: Keras 2)
    from split_files import SplitFiles
    from tfrs_deep_retrieval import (CandidateModel, MovieModel, MovielensModel, QueryModel, UserModel,
                                     features)

    split = SplitFiles(args.split_dir)
    split.require("train", ["user_id", "item_id", "timestamp", "title"], "the deep retrieval model")
    split.require("items", ["item_id", "title"], "the index of every item")
    train_features = features(split.train)
    catalogue_titles = split.items["title"].to_numpy(dtype=object).astype(str)
    catalogue_ids = split.items["item_id"].to_numpy(dtype=object).astype(str)
    movies = tf.data.Dataset.from_tensor_slices(catalogue_titles)

    # As compare.sh runs the tutorial model: adapted on the training rows, as embedrec's two-tower.
    timestamps = train_features["timestamp"]
    timestamp_buckets = np.linspace(timestamps.min(), timestamps.max(), num=1000)
    unique_user_ids = np.unique(train_features["user_id"])
    layers = [int(x) for x in args.layers.split(",")]
    model = MovielensModel(
        QueryModel(layers, UserModel(unique_user_ids, timestamps, timestamp_buckets, 32)),
        CandidateModel(layers, MovieModel(np.unique(catalogue_titles), movies, 32, 10_000)),
        movies)
    model.compile(optimizer=tf.keras.optimizers.Adagrad(args.lr))
    train = tf.data.Dataset.from_tensor_slices(train_features).shuffle(100_000, seed=args.seed).batch(args.batch_size)
    start = time.perf_counter()
    model.fit(train, epochs=args.epochs, verbose=0)
    print(f"trained {args.epochs} epochs in {time.perf_counter() - start:.1f}s", flush=True)

    # What serving needs of the training rows: each user's latest time and the items they had.
    latest, seen = {}, {}
    for user, item, t in zip(split.train["user_id"].astype(str), split.train["item_id"].astype(str),
                             split.train["timestamp"].astype(np.int64)):
        latest[user] = max(latest.get(user, t), t)
        seen.setdefault(user, []).append(item)
    max_seen = max(len(v) for v in seen.values())

    index = tfrs.layers.factorized_top_k.BruteForce(model.query_model, k=args.k)
    index.index_from_dataset(tf.data.Dataset.zip((
        tf.data.Dataset.from_tensor_slices(catalogue_ids).batch(128),
        movies.batch(128).map(model.candidate_model))))

    class Recommend(tf.Module):
        def __init__(self, index):
            super().__init__()
            self.index = index

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64),
                                      tf.TensorSpec([None, max_seen], tf.string)])
        def recommend(self, user_id, timestamp, exclusions):
            scores, ids = self.index.query_with_exclusions({"user_id": user_id, "timestamp": timestamp},
                                                           exclusions, k=args.k)
            return {"scores": scores, "ids": ids}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64)])
        def recommend_all(self, user_id, timestamp):
            scores, ids = self.index({"user_id": user_id, "timestamp": timestamp}, k=args.k)
            return {"scores": scores, "ids": ids}

    module = Recommend(index)
    # Trace once so a broken signature fails here rather than in the service.
    some_user = next(iter(seen))
    module.recommend(tf.constant([some_user]), tf.constant([latest[some_user]], tf.int64),
                     tf.constant([seen[some_user] + [PAD_ID] * (max_seen - len(seen[some_user]))]))
    module.recommend_all(tf.constant([some_user]), tf.constant([latest[some_user]], tf.int64))
    tf.saved_model.save(module, args.out, signatures={"recommend": module.recommend,
                                                      "recommend_all": module.recommend_all})
    with open(os.path.join(args.out, "serving.json"), "w", encoding="utf-8") as f:
        json.dump({"k": args.k, "max_seen": max_seen,
                   "users": [[u, int(latest[u]), seen[u]] for u in sorted(seen, key=int)],
                   "titles": dict(zip(catalogue_ids.tolist(), catalogue_titles.tolist()))}, f)
    print(f"saved the BruteForce index of {len(catalogue_ids)} items, k {args.k}, exclusions padded to "
          f"{max_seen}, to {args.out}", flush=True)
    return 0


def serve(args):
    pin(args.threads, args.seed)
    module = tf.saved_model.load(args.model_dir)
    recommend = module.signatures["recommend"]
    recommend_all = module.signatures["recommend_all"]
    with open(os.path.join(args.model_dir, "serving.json"), encoding="utf-8") as f:
        serving = json.load(f)
    max_k, max_seen, titles = serving["k"], serving["max_seen"], serving["titles"]
    users = {u: (t, s) for u, t, s in serving["users"]}
    user_order = [u for u, _, _ in serving["users"]]

    def answer(handler, status, body):
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def recommendations(params):
        user = params.get("user", [None])[0]
        k = int(params.get("k", ["10"])[0])
        exclude_seen = params.get("exclude_seen", ["false"])[0] == "true"
        if user not in users or not 1 <= k <= max_k:
            return 400, {"error": f"expected a training user and k from 1 to {max_k}"}
        t, seen = users[user]
        if exclude_seen:
            out = recommend(user_id=tf.constant([user]), timestamp=tf.constant([t], tf.int64),
                            exclusions=tf.constant([seen + [PAD_ID] * (max_seen - len(seen))]))
        else:
            out = recommend_all(user_id=tf.constant([user]), timestamp=tf.constant([t], tf.int64))
        seen_set = set(seen)
        items = []
        for score, item in zip(out["scores"].numpy()[0][:k], out["ids"].numpy()[0][:k]):
            item = item.decode("utf-8")
            title = titles.get(item)
            items.append({"id": item, "score": float(score), "seen": item in seen_set, "title": title,
                          "attributes": {"title": title}})
        return 200, {"model": "default", "version": 1, "source": "user", "time": t, "items": items}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            url = urlsplit(self.path)
            params = parse_qs(url.query)
            if url.path == "/recommend":
                answer(self, *recommendations(params))
            elif url.path == "/users":
                limit = int(params.get("limit", ["100"])[0])
                answer(self, 200, {"model": "default", "version": 1, "users": user_order[:limit]})
            elif url.path == "/healthz":
                answer(self, 200, {"status": "ok"})
            else:
                answer(self, 404, {"error": f"no route GET {url.path}"})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"tfrs_service: {len(users)} users, {len(titles)} items on http://127.0.0.1:{args.port}/ "
          f"(TensorFlow {tf.__version__}, {args.threads} threads)", flush=True)
    server.serve_forever()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export", help="train, index and save the SavedModel")
    e.add_argument("--split-dir", required=True, help="directory written by `embedrec data split`")
    e.add_argument("--out", required=True, help="SavedModel directory to write")
    e.add_argument("--layers", default="64,32")
    e.add_argument("--epochs", type=int, default=3)
    e.add_argument("--lr", type=float, default=0.1)
    e.add_argument("--batch-size", type=int, default=2048)
    e.add_argument("--k", type=int, default=10, help="the largest k answered (traced into the signature)")
    s = sub.add_parser("serve", help="answer GET /recommend from the SavedModel")
    s.add_argument("--model-dir", required=True)
    s.add_argument("--port", type=int, default=18090)
    for q in (e, s):
        q.add_argument("--threads", type=int, required=True, help="TensorFlow intra- and inter-op threads")
        q.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    return export(args) if args.command == "export" else serve(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
