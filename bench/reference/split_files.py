"""Reads a split exported by `embedrec data split` (cli SplitExport.java): train.csv, test.csv,
items.csv, users.csv and split.json, with ids kept as strings, as embedrec reads raw ids."""

import json
import os

import pandas as pd


def current_directory(directory):
    """The directory holding an export's files: the version its CURRENT names on line 2
    (`current version-NNNNNN`), or the directory itself for an export from before versions."""
    current = os.path.join(directory, "CURRENT")
    if not os.path.isfile(current):
        return directory
    with open(current, encoding="ascii") as f:
        lines = f.read().splitlines()
    if len(lines) < 2 or not lines[1].startswith("current "):
        raise SystemExit(f"{current}: not the list of an embedrec export")
    return os.path.join(directory, lines[1][len("current "):])


class SplitFiles:
    def __init__(self, directory):
        directory = current_directory(directory)
        self.directory = directory
        manifest = os.path.join(directory, "split.json")
        if not os.path.isfile(manifest):
            raise SystemExit(f"{directory}: no split.json; export a split first with "
                             f"`embedrec data split --data DIR --split SPEC --seed N --out {directory}`")
        with open(manifest, encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.train = self._read("train.csv")
        self.test = self._read("test.csv")
        self.items = self._read("items.csv")
        self.users = self._read("users.csv") if "users.csv" in self.manifest["files"] else None
        for name, frame, expected in (("train.csv", self.train, self.manifest["train"]),
                                      ("test.csv", self.test, self.manifest["test"]),
                                      ("items.csv", self.items, self.manifest["items"])):
            if len(frame) != expected:
                raise SystemExit(f"{os.path.join(directory, name)}: {len(frame)} rows, split.json says {expected}")

    def _read(self, name):
        path = os.path.join(self.directory, name)
        # Every column as text first: ids stay raw strings and a title such as "NA" stays a title.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        for column in ("rating",):
            if column in frame:
                frame[column] = frame[column].astype("float32")
        if "timestamp" in frame:
            frame["timestamp"] = frame["timestamp"].astype("int64")
        return frame

    def require(self, frame_name, columns, why):
        frame = getattr(self, frame_name)
        if frame is None:
            raise SystemExit(f"{self.directory}: no {frame_name}.csv, which {why} needs")
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise SystemExit(f"{os.path.join(self.directory, frame_name + '.csv')}: no column(s) {missing}, which "
                             f"{why} needs; it has {list(frame.columns)}")
