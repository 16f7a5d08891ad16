#!/usr/bin/env python3
"""SASRec (Kang and McAuley, ICDM 2018) in PyTorch, the peer of `embedrec train --model sasrec`.

The model is the one the authors' code builds (their TensorFlow release, and pmixer/SASRec.pytorch
before its optional layer-norm variants), written here from that description:

    x = item_emb(seq) * sqrt(d) + pos_emb(position);  x = dropout(x) * mask
    per block:  q = LayerNorm(x);  x = q + CausalSelfAttention(q, x)
                x = LayerNorm(x);  x = x + Dropout(W2 Dropout(ReLU(W1 x)));  x = x * mask
    h = LayerNorm(x);  score(item) = h . item_emb(item)      (tied input and output embeddings)

Attention has query/key/value projections with biases, an output projection (torch's
MultiheadAttention, as pmixer's port), dropout on the attention weights, a causal mask and padded
keys masked out. Positions are counted from the left of a history padded to `maxlen`, so the most
recent item always takes the last position, as the reference sampler pads. Parameters of two or
more dimensions start Xavier-normal, padding rows zero; Adam with betas (0.9, 0.98).

Losses: `bce` is the reference's (each step's target against one item the user never saw in
training, drawn uniformly, binary cross-entropy averaged over the real steps, positives and
negatives each); `softmax` is cross-entropy over the whole catalogue, embedrec's default.

Data: the leave-last-out split that `embedrec data split --split leave-last-out` exports (train.csv:
everything but each user's last item; test.csv: that item). The validation item is the last
training item of each user (by timestamp, ties to the later row), exactly as embedrec's
NextItemSplit takes it; the script checks that its test targets are the exported ones.

Evaluation as embedrec's NextItemRanking: the whole catalogue ranked after the history, the items
of the history left out (never the target), ties to the lower catalogue index; HR@K, NDCG@K.

    bench/.venv-torch/bin/python bench/reference/pytorch_sasrec.py --split DIR --seed 1 \\
        --epochs 200 --loss bce --threads 2 --report out.json
"""
import argparse
import csv
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", required=True, help="directory of `embedrec data split --split leave-last-out`")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--maxlen", type=int, default=200)
    p.add_argument("--hidden", type=int, default=50)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--heads", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--l2-emb", type=float, default=0.0, help="the reference's L2 on the item table (default 0)")
    p.add_argument("--loss", choices=["bce", "softmax"], default="bce")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (intra- and inter-op)")
    p.add_argument("--validation-freq", type=int, default=0,
                   help="rank the validation items every N epochs (0: never; timing excludes it)")
    p.add_argument("--report", help="write the run's configuration, history and metrics as JSON here")
    return p.parse_args(argv)


# ---------------------------------------------------------------- data

def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for name in ("user_id", "item_id", "timestamp"):
            if name not in reader.fieldnames:
                sys.exit(f"pytorch_sasrec: {path} has no '{name}' column (columns: {reader.fieldnames})")
        return [(r["user_id"], r["item_id"], int(r["timestamp"])) for r in reader]


def find_export(directory):
    """The export's files sit in `directory` or, written atomically, in its newest numbered subdirectory."""
    if os.path.isfile(os.path.join(directory, "train.csv")):
        return directory
    versions = [d for d in os.listdir(directory) if d.isdigit() and os.path.isfile(os.path.join(directory, d, "train.csv"))]
    if not versions:
        sys.exit(f"pytorch_sasrec: no train.csv in {directory}: export it with "
                 "`embedrec data split --split leave-last-out --out DIR`")
    return os.path.join(directory, max(versions, key=int))


def chronological(rows):
    """Each user's items oldest first: a stable sort by timestamp, so ties keep the rows' order."""
    by_user = {}
    for user, item, ts in rows:
        by_user.setdefault(user, []).append((ts, item))
    return {u: [item for _, item in sorted(events, key=lambda e: e[0])] for u, events in by_user.items()}


class LeaveLastOut:
    """The leave-last-out split as embedrec's NextItemSplit: train sequences, validation and test queries."""

    def __init__(self, directory):
        directory = find_export(directory)
        with open(os.path.join(directory, "items.csv"), newline="", encoding="utf-8") as f:
            catalogue = [r["item_id"] for r in csv.DictReader(f)]
        self.index = {item: i + 1 for i, item in enumerate(catalogue)}  # 0 is padding
        self.num_items = len(catalogue)
        outer_train = chronological(read_rows(os.path.join(directory, "train.csv")))
        test_rows = read_rows(os.path.join(directory, "test.csv"))
        self.train, self.validation, self.test = {}, [], []
        for user, seq in outer_train.items():
            ids = [self.index[i] for i in seq]
            self.train[user] = ids[:-1] if len(ids) >= 2 else ids
            if len(ids) >= 2:
                self.validation.append((ids[:-1], ids[-1]))
        seen_users = set()
        for user, item, _ in test_rows:
            if user in seen_users:
                sys.exit(f"pytorch_sasrec: user {user} has two rows in test.csv; expected a leave-last-out export")
            seen_users.add(user)
            history = [self.index[i] for i in outer_train.get(user, [])]
            if history:
                self.test.append((history, self.index[item]))
        self.check_test_items(test_rows, read_rows(os.path.join(directory, "train.csv")))

    @staticmethod
    def check_test_items(test_rows, train_rows):
        """Each exported test item is its user's last: no training row of the user is later."""
        last = {}
        for user, _, ts in train_rows:
            last[user] = max(ts, last.get(user, ts))
        late = [(u, i) for u, i, ts in test_rows if ts < last.get(u, ts)]
        if late:
            sys.exit(f"pytorch_sasrec: {len(late)} test items are not their user's last (first: user {late[0][0]}, "
                     f"item {late[0][1]}); expected a leave-last-out export")

    def popularity(self):
        """Training counts per catalogue index, the pop baseline's scores: a check that split and ranking
        match embedrec's (`embedrec train --model pop` prints the same numbers)."""
        counts = np.zeros(self.num_items + 1)
        for seq in self.train.values():
            np.add.at(counts, seq, 1)
        return counts[1:]


# ---------------------------------------------------------------- model

class CausalSelfAttentionBlock(torch.nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.attention_norm = torch.nn.LayerNorm(d, eps=1e-8)
        self.attention = torch.nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.forward_norm = torch.nn.LayerNorm(d, eps=1e-8)
        self.inner = torch.nn.Linear(d, d)
        self.outer = torch.nn.Linear(d, d)
        self.dropout = torch.nn.Dropout(dropout)

    def forward(self, x, attention_mask, keep):
        q = self.attention_norm(x)
        attended, _ = self.attention(q, x, x, attn_mask=attention_mask, need_weights=False)
        h = self.forward_norm(q + attended)
        h = h + self.dropout(self.outer(self.dropout(torch.relu(self.inner(h)))))
        return h * keep


class SasRec(torch.nn.Module):
    def __init__(self, num_items, args):
        super().__init__()
        d = args.hidden
        self.heads = args.heads
        self.item_emb = torch.nn.Embedding(num_items + 1, d, padding_idx=0)
        self.pos_emb = torch.nn.Embedding(args.maxlen + 1, d, padding_idx=0)
        self.emb_dropout = torch.nn.Dropout(args.dropout)
        self.blocks = torch.nn.ModuleList(CausalSelfAttentionBlock(d, args.heads, args.dropout)
                                          for _ in range(args.blocks))
        self.last_norm = torch.nn.LayerNorm(d, eps=1e-8)
        for p in self.parameters():
            if p.dim() >= 2:
                torch.nn.init.xavier_normal_(p)
        with torch.no_grad():
            self.item_emb.weight[0].zero_()
            self.pos_emb.weight[0].zero_()

    def encode(self, seqs):
        """seqs: [B, T] left-padded item ids (0 padding) -> states [B, T, d]."""
        b, t = seqs.shape
        real = seqs != 0
        positions = torch.arange(1, t + 1).unsqueeze(0).expand(b, t) * real
        x = self.item_emb(seqs) * (self.item_emb.embedding_dim ** 0.5) + self.pos_emb(positions)
        keep = real.unsqueeze(-1).to(x.dtype)
        x = self.emb_dropout(x) * keep
        # Additive mask [B*heads, T, T]: no later step, no padded key. A padded query sees nothing
        # real; a large finite negative (not -inf) keeps its row finite, and `keep` zeroes it.
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        blocked = causal.unsqueeze(0) | ~real.unsqueeze(1)
        mask = torch.zeros(b, t, t).masked_fill(blocked, -1e9).repeat_interleave(self.heads, dim=0)
        for block in self.blocks:
            x = block(x, mask, keep)
        return self.last_norm(x)

    def catalogue(self):
        return self.item_emb.weight[1:]


# ---------------------------------------------------------------- training

class Examples:
    """One example per user with two or more training items: its last maxlen+1 items, left-padded to maxlen."""

    def __init__(self, train, num_items, maxlen, rng):
        self.users = [seq for seq in train.values() if len(seq) >= 2]
        self.num_items = num_items
        self.maxlen = maxlen
        self.rng = rng

    def batch(self, chosen, negatives):
        b, t = len(chosen), self.maxlen
        seq = np.zeros((b, t), dtype=np.int64)
        pos = np.zeros((b, t), dtype=np.int64)
        neg = np.zeros((b, t), dtype=np.int64)
        for row, k in enumerate(chosen):
            items = self.users[k][-(t + 1):]
            n = len(items) - 1
            seq[row, t - n:] = items[:-1]
            pos[row, t - n:] = items[1:]
            if negatives:
                seen = set(self.users[k])
                for j in range(t - n, t):
                    x = int(self.rng.integers(1, self.num_items + 1))
                    while x in seen:
                        x = int(self.rng.integers(1, self.num_items + 1))
                    neg[row, j] = x
        return torch.from_numpy(seq), torch.from_numpy(pos), torch.from_numpy(neg)


def loss_of(model, args, seq, pos, neg):
    h = model.encode(seq)
    real = pos != 0
    h_real = h[real]
    if args.loss == "bce":
        pos_logits = (h_real * model.item_emb(pos[real])).sum(-1)
        neg_logits = (h_real * model.item_emb(neg[real])).sum(-1)
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        loss = bce(pos_logits, torch.ones_like(pos_logits)) + bce(neg_logits, torch.zeros_like(neg_logits))
    else:
        logits = h_real @ model.catalogue().T
        loss = torch.nn.functional.cross_entropy(logits, pos[real] - 1)
    if args.l2_emb > 0:
        loss = loss + args.l2_emb * (model.item_emb.weight ** 2).sum()
    return loss


# ---------------------------------------------------------------- evaluation

CUTOFFS = (1, 5, 10, 20)


def ranking_metrics(queries, score_batch, batch=256):
    """Full-ranking HR@K, NDCG@K and MRR of each query's target, the history's items excluded.
    score_batch(queries) gives their catalogue scores, [len(queries), num_items]."""
    hits = {k: 0.0 for k in CUTOFFS}
    ndcg = {k: 0.0 for k in CUTOFFS}
    mrr = 0.0
    for start in range(0, len(queries), batch):
        part = queries[start:start + batch]
        scores = score_batch(part)
        for row, (history, target) in enumerate(part):
            s = scores[row]
            t = target - 1
            excluded = np.zeros(len(s), dtype=bool)
            excluded[np.asarray(history) - 1] = True
            excluded[t] = False
            above = (s > s[t]) | ((s == s[t]) & (np.arange(len(s)) < t))
            rank = int(np.count_nonzero(above & ~excluded))
            for k in CUTOFFS:
                if rank < k:
                    hits[k] += 1
                    ndcg[k] += 1 / math.log2(rank + 2)
            mrr += 1 / (rank + 1)
    n = len(queries)
    out = {f"hr@{k}": hits[k] / n for k in CUTOFFS}
    out.update({f"ndcg@{k}": ndcg[k] / n for k in CUTOFFS})
    out["mrr"] = mrr / n
    return out


@torch.no_grad()
def evaluate(model, queries, maxlen):
    """The model's ranking metrics: each history's last maxlen items read, the last state scored."""
    def score_batch(part):
        seq = np.zeros((len(part), maxlen), dtype=np.int64)
        for row, (history, _) in enumerate(part):
            h = history[-maxlen:]
            seq[row, maxlen - len(h):] = h
        states = model.encode(torch.from_numpy(seq))[:, -1, :]
        return (states @ model.catalogue().T).numpy()
    model.eval()
    try:
        return ranking_metrics(queries, score_batch)
    finally:
        model.train()


# ---------------------------------------------------------------- main

def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    split = LeaveLastOut(args.split)
    examples = Examples(split.train, split.num_items, args.maxlen, rng)
    model = SasRec(split.num_items, args)
    adam = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-8)
    popularity = split.popularity()
    pop = ranking_metrics(split.test, lambda part: np.tile(popularity, (len(part), 1)))
    print(f"pop on the same split (a check against `embedrec train --model pop`): hr@10 {pop['hr@10']:.4f} "
          f"ndcg@10 {pop['ndcg@10']:.4f}", flush=True)
    print(f"pytorch sasrec: {split.num_items} items, {len(examples.users)} training sequences, "
          f"{len(split.validation)} validation and {len(split.test)} test users; loss {args.loss}, "
          f"maxlen {args.maxlen}, width {args.hidden}, {args.blocks} blocks, {args.heads} heads, dropout "
          f"{args.dropout}, lr {args.lr}, batch {args.batch_size}, threads {torch.get_num_threads()}", flush=True)

    history = []
    model.train()
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(examples.users))
        total, steps = 0.0, 0
        for b in range(0, len(order), args.batch_size):
            seq, pos, neg = examples.batch(order[b:b + args.batch_size], args.loss == "bce")
            loss = loss_of(model, args, seq, pos, neg)
            adam.zero_grad()
            loss.backward()
            adam.step()
            total += loss.item()
            steps += 1
        seconds = time.perf_counter() - start
        row = {"epoch": epoch, "loss": total / steps, "seconds": seconds}
        if args.validation_freq > 0 and (epoch % args.validation_freq == 0 or epoch == args.epochs):
            row.update({"val_" + k: v for k, v in evaluate(model, split.validation, args.maxlen).items()})
        history.append(row)
        print(" ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()), flush=True)

    eval_start = time.perf_counter()
    metrics = evaluate(model, split.test, args.maxlen)
    eval_seconds = time.perf_counter() - eval_start
    median_epoch = statistics.median(r["seconds"] for r in history)
    print(f"pytorch sasrec test: hr@10 {metrics['hr@10']:.4f} ndcg@10 {metrics['ndcg@10']:.4f} "
          f"mrr {metrics['mrr']:.4f} | {args.epochs} epochs, median epoch {median_epoch:.3f}s, "
          f"evaluation {eval_seconds:.2f}s", flush=True)
    if args.report:
        report = {"model": "pytorch-sasrec", "config": vars(args), "torch": torch.__version__,
                  "items": split.num_items, "test_users": len(split.test), "metrics": metrics, "pop_metrics": pop,
                  "history": history, "median_epoch_seconds": median_epoch, "evaluation_seconds": eval_seconds}
        tmp = args.report + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
        os.replace(tmp, args.report)


if __name__ == "__main__":
    main(sys.argv[1:])
