"""Predict with the exported model: the same input and the same JSON as `rnn-studio predict --json`.

python predict.py --input "a fine film" [--json] [--checkpoint checkpoint.pt]
python predict.py --probe probe.json    # raw outputs for given batch tensors (used to check the export)
"""
import argparse
import json
import math
import os

import torch

from data import BOS, EOS, Tokenizer, load_config
from model import HEADS, StudioModel

HERE = os.path.dirname(os.path.abspath(__file__))


def r4(x):
    """Rounded as the studio rounds (Math.round(x * 1e4) / 1e4), integral values printed as integers."""
    v = math.floor(float(x) * 10000 + 0.5) / 10000
    return int(v) if v == int(v) else v


def ranked(probabilities, names, k=None):
    order = sorted(range(len(probabilities)), key=lambda i: (-probabilities[i], i))
    return [(names(i), probabilities[i]) for i in (order if k is None else order[:k])]


def run(model, batch):
    with torch.no_grad():
        return model(batch)


def predict(model, config, tokenizer, text):
    task, head = config["task"], HEADS[0]
    if task == "seq2seq":
        return translate(model, config, tokenizer, text)
    if config["inputRole"] == "features":
        steps = json.loads(text)
        batch = {"features": torch.tensor([steps], dtype=torch.float32), "mask": torch.ones(1, len(steps))}
        tokens = None
    else:
        tokens = tokenizer.tokenize(text)
        ids = ([BOS] if task == "language-model" else []) + tokenizer.encode(text)
        batch = {"tokens": torch.tensor([ids]), "mask": torch.ones(1, len(ids))}
    outputs = run(model, batch)
    y = outputs[head][0]
    if task == "regression":
        return {"task": task, "input": text, "values": [r4(v) for v in y.tolist()]}
    if task == "classification":
        labels = config["labels"]
        probs = y.tolist()
        if len(probs) == 1:  # one sigmoid unit: probability of the second class
            probs = [1 - probs[0], probs[0]]
        order = ranked(probs, lambda i: labels[i] if i < len(labels) else str(i))
        result = {"task": task, "input": text, "label": order[0][0], "probabilities": [{"label": n, "probability": r4(p)} for n, p in order]}
        pool = config.get("attentionPooling")
        if pool and tokens is not None:
            weights = outputs[f"{pool}/attention"][0].tolist()
            result["tokens"] = [{"token": tokenizer.display(t), "weight": r4(w)} for t, w in zip(tokens, weights)]
        return result
    if task == "tagging":
        tags = config["labels"]
        rows = y.tolist()
        out = []
        for t, row in zip(tokens, rows):
            best = ranked(row, lambda i: i, 1)[0]
            out.append({"token": tokenizer.display(t), "tag": tags[best[0]] if best[0] < len(tags) else str(best[0]), "probability": r4(best[1])})
        return {"task": task, "input": text, "tokens": out}
    last = y[-1].tolist()
    return {"task": task, "input": text, "next": [{"token": tokenizer.display(tokenizer.token(i)), "probability": r4(p)} for i, p in ranked(last, lambda i: i, 5)]}


def translate(model, config, tokenizer, text):
    """Greedy decoding: feed the best token back until </s> or the length limit; then one run on the whole
    output gives each chosen token's probability and the attention rows (as the studio does)."""
    source = tokenizer.encode(text)

    def batch_for(target):
        return {"source": torch.tensor([source]), "sourceMask": torch.ones(1, len(source)),
                "targetIn": torch.tensor([target]), "targetMask": torch.ones(1, len(target))}

    target = [BOS]
    for _ in range(config["maxLength"]):
        row = run(model, batch_for(target))[HEADS[0]][0, -1].tolist()
        best = ranked(row, lambda i: i, 1)[0][0]
        if best == EOS:
            break
        target.append(best)
    generated = target[1:]
    outputs = run(model, batch_for(target))
    probs = outputs[HEADS[0]][0]
    result = {
        "task": "seq2seq",
        "input": text,
        "output": tokenizer.decode(generated),
        "tokens": [{"token": tokenizer.display(tokenizer.token(i)), "probability": r4(probs[k, i])} for k, i in enumerate(generated)],
        "source": [tokenizer.display(t) for t in tokenizer.tokenize(text)],
    }
    att = config.get("attention")
    if att:
        weights = outputs[f"{att}/attention"][0].tolist()
        result["attention"] = [[r4(w) for w in row] for row in weights[: len(generated)]]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", help="text (or, for numeric inputs, a JSON list of steps)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (as rnn-studio predict --json)")
    parser.add_argument("--checkpoint", help="a checkpoint.pt written by train.py instead of the exported weights")
    parser.add_argument("--probe", help="JSON file of batch tensors; prints every raw output")
    args = parser.parse_args()
    config = load_config(HERE)
    model = StudioModel()
    if args.checkpoint:
        model.load_state_dict(torch.load(args.checkpoint))
    else:
        model.load_studio_weights(HERE)
    model.eval()
    if args.probe:
        with open(args.probe, encoding="utf-8") as f:
            probe = json.load(f)
        batch = {k: torch.tensor(v, dtype=torch.long if k in ("tokens", "source", "targetIn") else torch.float32) for k, v in probe.items()}
        outputs = run(model, batch)
        print(json.dumps({k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in outputs.items()}))
        return
    if args.input is None:
        parser.error("give --input TEXT (or --probe FILE)")
    tokenizer = Tokenizer(config["tokenizer"], config["vocabulary"]) if config.get("vocabulary") else None
    result = predict(model, config, tokenizer, args.input)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(human(result))


def human(result):
    task = result["task"]
    if task == "classification":
        return "\n".join(f"{p['label']}: {p['probability']}" for p in result["probabilities"])
    if task == "regression":
        return " ".join(str(v) for v in result["values"])
    if task == "tagging":
        return " ".join(f"{t['token']}/{t['tag']}" for t in result["tokens"])
    if task == "seq2seq":
        return result["output"]
    return "\n".join(f"{n['token']!r}: {n['probability']}" for n in result["next"])


if __name__ == "__main__":
    main()
