"""Continue training an RNN Studio model in PyTorch, with the studio's optimizer, schedule and clipping.

Single process:            python train.py --epochs 5
Data-parallel (CPU/GPU):   torchrun --nproc_per_node 2 train.py --epochs 5
Several machines:          torchrun --nnodes 2 --node_rank 0 --master_addr HOST --nproc_per_node 8 train.py
Uses NCCL when CUDA is available, gloo otherwise. Writes checkpoint.pt (a state_dict) into --out.
"""
import argparse
import json
import math
import os
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from data import StudioDataset, collate, load_config
from model import HEADS, StudioModel

HERE = os.path.dirname(os.path.abspath(__file__))


def task_loss(task, head_activation, out, batch):
    """The studio's loss: mean over real positions (cross-entropy, binary cross-entropy or mse)."""
    if task == "regression":
        return F.mse_loss(out, batch["targets"].view_as(out))
    if task == "classification":
        if head_activation == "sigmoid":
            target = F.one_hot(batch["labels"], out.shape[-1]).float() if out.shape[-1] > 1 else batch["labels"].float().view_as(out)
            return F.binary_cross_entropy_with_logits(out, target)
        return F.cross_entropy(out, batch["labels"])
    labels, mask = (batch["targetOut"], batch["targetMask"]) if task == "seq2seq" else (batch["labels"], batch["mask"])
    per_step = F.cross_entropy(out.reshape(-1, out.shape[-1]), labels.reshape(-1), reduction="none")
    m = mask.reshape(-1)
    return (per_step * m).sum() / m.sum().clamp(min=1)


def make_optimizer(params, o):
    kind, lr = o["kind"], o["learningRate"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=o["momentum"], nesterov=o["nesterov"] and o["momentum"] > 0, weight_decay=o["weightDecay"])
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=o["beta2"], momentum=o["momentum"], eps=o["epsilon"], weight_decay=o["weightDecay"])
    cls = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
    return cls(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"], weight_decay=o["weightDecay"])


def rate_factor(s, step, epoch, total):
    """Multiplier of the base rate at an update, as core/training/schedules.ts (min rate as a fraction)."""
    kind = s["kind"]
    if kind == "step":
        return s["factor"] ** (epoch // s["stepEpochs"])
    if kind in ("cosine", "warmup-cosine"):
        warmup = min(s["warmupSteps"], max(0, total - 1)) if kind == "warmup-cosine" else 0
        if step < warmup:
            return (step + 1) / warmup
        p = min(1.0, max(0.0, (step - warmup) / max(1, total - warmup)))
        low = s.get("minFraction", 0.0)
        return low + (1 - low) * 0.5 * (1 + math.cos(math.pi * p))
    return 1.0  # constant; reduce-on-plateau is applied per epoch below


# The studio's optimizer slots -> torch's optimizer state keys.
SLOT_KEYS = {"m": "exp_avg", "v": "exp_avg_sq", "momentum": "momentum_buffer", "square": "square_avg"}


def restore_optimizer(model, optimizer, kind):
    """Continues from the studio's optimizer memory (optimizer.json + optimizer-<slot>.bin), converted to
    torch's layout the same way the weights are (a permutation of a weight permutes its moments)."""
    path = os.path.join(HERE, "optimizer.json")
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        memory = json.load(f)
    if memory["kind"] != kind:
        return 0
    slots = {slot: StudioModel().load_studio_weights(HERE, f"optimizer-{slot}") for slot in memory["slots"]}
    step = memory["step"]
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        # torch >= 1.12 keeps Adam's step as a tensor, RMSprop's as an int; SGD has none.
        state = {"step": torch.tensor(float(step))} if kind in ("adam", "adamw") else {"step": step} if kind == "rmsprop" else {}
        for slot, holder in slots.items():
            state[SLOT_KEYS[slot]] = dict(holder.named_parameters())[name].detach().clone()
        optimizer.state[p] = state
    return step


def evaluate(model, loader, task, head_activation):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for batch in loader:
            out = model(batch, logits=True)[HEADS[0]]
            n = len(next(iter(batch.values())))
            total += task_loss(task, head_activation, out, batch).item() * n
            count += n
    return total / max(1, count)


def main():
    config = load_config(HERE)
    t = config["training"]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=t["epochs"])
    parser.add_argument("--batch-size", type=int, default=t["batchSize"])
    parser.add_argument("--data", default=os.path.join(HERE, "data", "train.jsonl"))
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--from-scratch", action="store_true", help="start from random weights, not the studio's")
    args = parser.parse_args()

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    torch.manual_seed(t["seed"])

    task, head_activation = config["task"], config["headActivation"]
    model = StudioModel()
    if not args.from_scratch:
        model.load_studio_weights(HERE)
    dataset = StudioDataset(args.data)
    sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=t["seed"]) if distributed else None
    loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler, collate_fn=lambda e: collate(e, task))
    probe = DataLoader(dataset, batch_size=args.batch_size, collate_fn=lambda e: collate(e, task))
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model

    optimizer = make_optimizer([p for p in model.parameters() if p.requires_grad], t["optimizer"])
    resumed = 0 if args.from_scratch else restore_optimizer(model, optimizer, t["optimizer"]["kind"])
    base = t["optimizer"]["learningRate"]
    schedule = dict(t["schedule"], minFraction=min(t["schedule"]["minLearningRate"], base) / base)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=schedule["factor"], patience=schedule["patience"]) if schedule["kind"] == "reduce-on-plateau" else None
    clip = t["clipping"]
    total = args.epochs * len(loader)

    before = evaluate(model, probe, task, head_activation)
    if rank == 0:
        print(f"loss before training {before:.4f} on {len(dataset)} examples, {world} process(es)"
              + (f", optimizer state of step {resumed} restored" if resumed else ""), flush=True)
    step = 0
    started = time.time()
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        running, batches = 0.0, 0
        for batch in loader:
            if plateau is None:
                for group in optimizer.param_groups:
                    group["lr"] = base * rate_factor(schedule, step, epoch, total)
            out = net(batch, logits=True)[HEADS[0]]
            loss = task_loss(task, head_activation, out, batch)
            optimizer.zero_grad()
            loss.backward()
            if clip["kind"] == "global-norm":
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip["value"])
            elif clip["kind"] == "value":
                torch.nn.utils.clip_grad_value_(model.parameters(), clip["value"])
            optimizer.step()
            running, batches, step = running + loss.item(), batches + 1, step + 1
        if plateau is not None:
            plateau.step(running / max(1, batches))
        if rank == 0:
            print(f"epoch {epoch + 1}/{args.epochs} loss {running / max(1, batches):.4f} ({time.time() - started:.1f} s)", flush=True)
    after = evaluate(model, probe, task, head_activation)
    if rank == 0:
        torch.save(model.state_dict(), os.path.join(args.out, "checkpoint.pt"))
        print(json.dumps({"lossBefore": before, "lossAfter": after, "epochs": args.epochs, "processes": world, "seconds": round(time.time() - started, 2)}), flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
