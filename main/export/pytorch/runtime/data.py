"""The dataset and tokenizer of an RNN Studio project, as exported files (config.json, data/train.jsonl).

Batches have the studio's tensors by name: tokens/mask (or features/mask), labels or targets, and for
sequence to sequence source/sourceMask/targetIn/targetOut/targetMask. Padding id 0; mask 1 = real step.
"""
import json
import os
import unicodedata

import torch

PAD, UNK, BOS, EOS = 0, 1, 2, 3
RESERVED = ["<pad>", "<unk>", "<s>", "</s>"]
NO_SPACE_BEFORE = set(".,!?;:)]}%\u2026")
NO_SPACE_AFTER = set("([{")


def load_config(folder):
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        return json.load(f)


def _wordy(c):
    return unicodedata.category(c)[0] in "LMN"


def split_words(text, lowercase=False):
    """The studio's word rule: runs of letters/marks/digits, continuing through ' ’ - followed by more;
    every other visible character is a token; whitespace separates."""
    text = text.lower() if lowercase else text
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif _wordy(c):
            j = i
            while j < n and _wordy(text[j]):
                j += 1
            while j + 1 < n and text[j] in "'\u2019-" and _wordy(text[j + 1]):
                j += 1
                while j < n and _wordy(text[j]):
                    j += 1
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return out


def _kind(c):
    if c.isspace():
        return "s"
    return "L" if unicodedata.category(c)[0] == "L" else "N" if unicodedata.category(c)[0] == "N" else "o"


def pretokenize(text):
    """The studio's (GPT-2's) chunks: a letter, digit or other run with at most one leading space;
    whitespace runs on their own, leaving a last space to lead the next chunk."""
    out, i, n = [], 0, len(text)
    while i < n:
        start, j = i, i
        if text[j] == " " and j + 1 < n and _kind(text[j + 1]) != "s":
            j += 1
        k = _kind(text[j])
        if k != "s":
            while j < n and _kind(text[j]) == k:
                j += 1
            out.append(text[start:j])
            i = j
            continue
        while j < n and _kind(text[j]) == "s":
            j += 1
        if j < n and j - i > 1:
            j -= 1  # leave the last space to lead the next chunk
        out.append(text[i:j])
        i = j
    return out


class Tokenizer:
    """The studio's character, word and byte-level BPE tokenizers with its vocabulary (0-3 reserved)."""

    def __init__(self, spec, vocabulary):
        self.kind, self.lowercase = spec["kind"], spec.get("lowercase", False)
        self.tokens = vocabulary
        self.ids = {t: i for i, t in enumerate(vocabulary)}
        self.ranks = {}
        for rank, (a, b) in enumerate(spec.get("merges") or []):
            self.ranks[(self.ids[a], self.ids[b])] = (rank, self.ids[a + b])

    def _bpe(self, chunk):
        word = [self.ids[chr(b)] for b in chunk.encode("utf-8", "surrogatepass")]
        while True:
            best = None
            for pair in zip(word, word[1:]):
                r = self.ranks.get(pair)
                if r and (best is None or r[0] < best[1][0]):
                    best = (pair, r)
            if best is None:
                return word
            merged, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best[0]:
                    merged.append(best[1][1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged

    def display(self, token):
        """A token as the studio shows it: subword tokens are bytes, shown as text or <0xNN>."""
        if self.kind != "subword" or token in RESERVED:
            return token
        raw = bytes(ord(c) & 255 for c in token)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<0x{b:02X}>" for b in raw)

    def tokenize(self, text):
        if self.kind == "subword":
            return [self.tokens[i] for i in self.encode(text)]
        if self.kind == "word":
            return [w if w in self.ids and w not in RESERVED else "<unk>" for w in split_words(text, self.lowercase)]
        out = []
        for c in text.lower() if self.lowercase else text:
            if c in self.ids and c not in RESERVED:
                out.append(c)
            else:  # the studio spells unknown characters as <u> and six hex digits
                out += ["<u>"] + [f"<x{h}>" for h in format(ord(c), "06x")]
        return out

    def encode(self, text):
        if self.kind == "subword":
            text = text.lower() if self.lowercase else text
            return [i for chunk in pretokenize(text) for i in self._bpe(chunk)]
        return [self.ids.get(t, UNK) for t in self.tokenize(text)]

    def token(self, i):
        return self.tokens[i] if 0 <= i < len(self.tokens) else "<unk>"

    def decode(self, ids):
        tokens = [self.token(i) for i in ids if i not in (PAD, BOS, EOS)]
        if self.kind == "subword":
            raw = bytes(ord(c) & 255 for t in tokens if t not in RESERVED for c in t)
            return raw.decode("utf-8", "replace")
        if self.kind == "word":
            out, glue = "", True
            for t in tokens:
                out += t if glue or t in NO_SPACE_BEFORE else " " + t
                glue = t in NO_SPACE_AFTER
            return out
        out, i = "", 0
        while i < len(tokens):
            t = tokens[i]
            digits = "".join(d[2] for d in tokens[i + 1 : i + 7] if len(d) == 4 and d.startswith("<x"))
            if t == "<u>" and len(digits) == 6 and int(digits, 16) <= 0x10FFFF:
                out += chr(int(digits, 16))
                i += 7
                continue
            out += "\ufffd" if t == "<unk>" or t.startswith("<x") else ("" if t in RESERVED else t)
            i += 1
        return out


def load_examples(path):
    """data/train.jsonl: one encoded example per line (ids, as the studio encoded them)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _pad(rows, dtype=torch.long):
    width = max(1, max(len(r) for r in rows))
    out = torch.zeros(len(rows), width, dtype=dtype)
    mask = torch.zeros(len(rows), width)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r, dtype=dtype)
        mask[i, : len(r)] = 1
    return out, mask


def collate(examples, task):
    """A padded batch with the studio's tensor names."""
    batch = {}
    if task == "seq2seq":
        batch["source"], batch["sourceMask"] = _pad([e["source"] for e in examples])
        batch["targetIn"], batch["targetMask"] = _pad([[BOS] + e["target"] for e in examples])
        batch["targetOut"], _ = _pad([e["target"] + [EOS] for e in examples])
        return batch
    if "features" in examples[0]:
        f = examples[0]["featureSize"]
        steps = [[e["features"][i : i + f] for i in range(0, len(e["features"]), f)] for e in examples]
        width = max(len(s) for s in steps)
        batch["features"] = torch.zeros(len(examples), width, f)
        batch["mask"] = torch.zeros(len(examples), width)
        for i, s in enumerate(steps):
            batch["features"][i, : len(s)] = torch.tensor(s)
            batch["mask"][i, : len(s)] = 1
    else:
        batch["tokens"], batch["mask"] = _pad([e["tokens"] for e in examples])
    if task == "classification":
        batch["labels"] = torch.tensor([e["label"] for e in examples])
    elif task == "regression":
        batch["targets"] = torch.tensor([e["values"] for e in examples], dtype=torch.float32)
    else:
        batch["labels"], _ = _pad([e["steps"] for e in examples])
    return batch


class StudioDataset(torch.utils.data.Dataset):
    def __init__(self, path):
        self.examples = load_examples(path)

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        return self.examples[i]
