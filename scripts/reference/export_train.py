"""Runs `train.py --epochs 1` of several PyTorch exports in one process (torch is imported once).

usage: /usr/bin/python3 scripts/reference/export_train.py DIR [DIR ...]
Each export's train.py prints its own lines; its final JSON line ({lossBefore, lossAfter, ...}) is what
the caller reads. Lines are prefixed with "DIR\t" so the caller can tell the exports apart.
"""
import contextlib
import io
import sys

for folder in sys.argv[1:]:
    for name in ("model", "studio_layers", "seq2seq_layers", "data", "train"):
        sys.modules.pop(name, None)
    sys.path.insert(0, folder)
    import train  # noqa: E402  (a fresh import per folder)

    buffer = io.StringIO()
    sys.argv = ["train.py", "--epochs", "1", "--out", folder]
    with contextlib.redirect_stdout(buffer):
        train.main()
    for line in buffer.getvalue().splitlines():
        print(f"{folder}\t{line}", flush=True)
    sys.path.remove(folder)
