"""Reads a split exported by `embedrec data split` (cli SplitExport.java): train.csv, test.csv,
items.csv, users.csv and split.json, with ids kept as strings, as embedrec reads raw ids."""

import json
import os

import pandas as pd


def current_directory(directory):
    """The directory holding an export's files: its highest numbered version (`DIR/1`, `DIR/2`,
    ...), as embedrec's loaders take it, after checking that every file its manifest.json lists
    is there with its size; or the directory itself for an export from before versions."""
    if not os.path.isdir(directory):
        return directory
    versions = [int(name) for name in os.listdir(directory)
                if name.isdigit() and (name == "0" or not name.startswith("0"))
                and os.path.isdir(os.path.join(directory, name))]
    if not versions:
        return directory
    current = os.path.join(directory, str(max(versions)))
    manifest = os.path.join(current, "manifest.json")
    if not os.path.isfile(manifest):
        raise SystemExit(f"{current}: no manifest.json, so not a complete export")
    with open(manifest, encoding="utf-8") as f:
        listed = json.load(f)
    if listed.get("format") != "embedrec-directory" or not isinstance(listed.get("files"), list):
        raise SystemExit(f"{manifest}: not the manifest of an embedrec export")
    for entry in listed["files"]:
        path = os.path.join(current, entry["path"])
        if not os.path.isfile(path) or os.path.getsize(path) != entry["bytes"]:
            raise SystemExit(f"{path}: missing or not of the {entry['bytes']} bytes manifest.json lists")
    return current


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
