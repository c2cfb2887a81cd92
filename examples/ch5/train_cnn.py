#!/usr/bin/env python3
"""Train the thesis ch. 5 CNN on spatial-density-map datasets and export it
for amorph's C++ inference (include/amorph/learn/cnn.hpp).

  train_cnn.py DATASET_DIR [DATASET_DIR...] --out net.amcnn [options]

Datasets are the directories written by amorph::learn::sdm_dataset_writer
(include/amorph/learn/sdm_dataset.hpp): settings.json, shard_NNNNN.npy
(float32 images N x C x [Z x] Y x X), shard_NNNNN_labels.npy (int32 0/1) and
shard_NNNNN_meta.npy (int64 N x 3: sample, protocol, atom id); the shards
listed in settings.json are read.

Training follows thesis sec. 5.7.7: binary cross-entropy, RMSprop (lr 1e-3),
learning rate divided by sqrt(10) when the validation accuracy has not improved
for --plateau epochs, early stopping after --patience epochs without
improvement, and the model with the best validation accuracy is kept. After
every epoch the batch-norm statistics are recomputed with the epoch's final
weights over 4096 training images (--no-recalibrate keeps the running
averages). Every
training batch gets one of the 4 (2D) / 8 (3D) mirror symmetries of thesis
Fig. 5.10 drawn at random per image (--no-mirror to disable). Validation
samples are whole glass samples (meta column 0) held out, so the atoms of one
sample never appear on both sides (--val-fraction, or --val DIR); with
--val-group G, samples k G .. k G + G - 1 are held out together (the ch5
driver numbers its samples glass x label strains + strain, so G = the number
of label strains keeps every glass on one side).

Only Debian packages: python3-torch, python3-numpy. CPU only.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnn_model  # noqa: E402


def load_dirs(dirs):
    xs, ys, ms, settings = [], [], [], None
    for d in dirs:
        with open(os.path.join(d, "settings.json")) as fh:
            s = json.load(fh)
        if settings is None:
            settings = s
        elif s["image_shape"] != settings["image_shape"]:
            raise SystemExit(f"{d}: image shape {s['image_shape']} differs from {settings['image_shape']}")
        for shard in s["shards"]:
            stem = shard["name"]
            f = stem + ".npy"
            xs.append(np.load(os.path.join(d, f)))
            ys.append(np.load(os.path.join(d, stem + "_labels.npy")))
            ms.append(np.load(os.path.join(d, stem + "_meta.npy")))
    if not xs:
        raise SystemExit("no shards found in " + ", ".join(dirs))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ms), settings


def mirror(x, k, dim):
    """Mirror symmetry k of thesis Fig. 5.10 on a batch N x C x [Z x] Y x X
    (same convention as amorph::descriptor::mirror_index_map)."""
    y_ax, x_ax = x.dim() - 2, x.dim() - 1
    if k & 3 == 1:
        x = x.transpose(y_ax, x_ax)
    elif k & 3 == 2:
        x = x.transpose(y_ax, x_ax).flip(y_ax, x_ax)
    elif k & 3 == 3:
        x = x.flip(y_ax, x_ax)
    if dim == 3 and k & 4:
        x = x.flip(2)
    return x


def augment(x, dim, gen):
    n_sym = 4 if dim == 2 else 8
    ks = torch.randint(0, n_sym, (x.shape[0],), generator=gen)
    out = torch.empty_like(x)
    for k in range(n_sym):
        idx = (ks == k).nonzero(as_tuple=True)[0]
        if len(idx):
            out[idx] = mirror(x[idx], k, dim)
    return out


def recalibrate_batch_norm(model, x, dim, gen, n_images=4096, batch=256):
    """Replace the batch-norm running statistics by exact averages over
    n_images training images (random mirrors, as in training), computed with
    the final weights of the epoch. The running averages of training mix the
    statistics of many earlier weight states; with RMSprop's large steps they
    lag enough to shift the logits of eval mode, which showed as validation
    and even training accuracy dropping to ~0.5 in single epochs while the
    training loss kept falling."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the batches below
    model.train()
    idx = torch.randperm(len(x), generator=gen)[:n_images]
    with torch.no_grad():
        for i in range(0, len(idx), batch):
            model(augment(x[idx[i:i + batch]], dim, gen))
    for m, mom in zip(bns, saved):
        m.momentum = mom
    model.eval()


def accuracy(model, x, y, batch):
    model.eval()
    ok = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            p = model(x[i:i + batch]).squeeze(1)
            ok += int(((p > 0.5).long() == y[i:i + batch].long()).sum())
    return ok / max(1, len(x))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+", help="dataset directories (training, and validation unless --val)")
    ap.add_argument("--val", nargs="*", default=None, help="validation dataset directories")
    ap.add_argument("--val-fraction", type=float, default=0.2, help="fraction of samples held out (default 0.2)")
    ap.add_argument("--val-group", type=int, default=1,
                    help="hold out samples in groups of G consecutive indices (ch5: the number of label strains)")
    ap.add_argument("--out", required=True, help="output network file (.amcnn)")
    ap.add_argument("--history", help="JSON file for the per-epoch history")
    ap.add_argument("--predict", help=".npy file for the exported model's class probabilities of every "
                                      "image of the training directories, in shard order")
    ap.add_argument("--blocks", type=int, help="conv blocks (thesis: 5 in 2D, 4 in 3D)")
    ap.add_argument("--convs-per-block", type=int, help="conv layers per block (thesis: 5)")
    ap.add_argument("--filters", type=int, help="filters of the first block (thesis: 20 in 2D, 60 in 3D)")
    ap.add_argument("--no-double", action="store_true", help="keep the filter count constant after pools")
    ap.add_argument("--unpadded", type=str, help="comma-separated 1-based conv indices without padding")
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=None, help="thesis: 512 (2D), 64 (3D)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.0, help="L2 penalty of RMSprop (default 0)")
    ap.add_argument("--plateau", type=int, default=3, help="epochs without improvement before lr /= sqrt(10)")
    ap.add_argument("--patience", type=int, default=8, help="epochs without improvement before stopping")
    ap.add_argument("--no-mirror", action="store_true")
    ap.add_argument("--no-recalibrate", action="store_true",
                    help="keep the running batch-norm statistics of training (default: exact averages over 4096 "
                         "training images after every epoch)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-sample", type=int, default=None,
                    help="use only the images of samples 0 .. S-1 (meta column 0; the ch5 driver numbers them "
                         "glass x label strains + strain)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch default)")
    a = ap.parse_args()

    torch.manual_seed(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)
    x, y, meta, settings = load_dirs(a.data)
    if a.max_sample is not None:  # learning curves: the first samples only
        keep = meta[:, 0] < a.max_sample
        x, y, meta = x[keep], y[keep], meta[keep]
        if not len(y):
            raise SystemExit(f"--max-sample {a.max_sample}: no images left")
    dim = int(settings["dim"])
    shape = settings["image_shape"]  # [C, (Z,) Y, X]
    if a.val is not None and a.val:
        xv, yv, _, _ = load_dirs(a.val)
        xt, yt = x, y
    else:
        if a.val_group < 1:
            raise SystemExit("--val-group must be >= 1")
        group = meta[:, 0] // a.val_group
        samples = np.unique(group)
        rng = np.random.default_rng(a.seed)
        rng.shuffle(samples)
        n_val = max(1, int(round(a.val_fraction * len(samples)))) if len(samples) > 1 else 0
        is_val = np.isin(group, samples[:n_val])
        if n_val == 0:  # one sample only: hold out atoms instead
            is_val = rng.random(len(y)) < a.val_fraction
        xt, yt, xv, yv = x[~is_val], y[~is_val], x[is_val], y[is_val]
    xt, yt = torch.from_numpy(np.ascontiguousarray(xt)), torch.from_numpy(yt.astype(np.float32))
    xv, yv = torch.from_numpy(np.ascontiguousarray(xv)), torch.from_numpy(yv.astype(np.float32))

    arch = cnn_model.thesis_defaults(dim)
    arch["in_channels"], arch["size"] = int(shape[0]), int(shape[-1])
    if a.blocks is not None:
        arch["blocks"] = a.blocks
    if a.convs_per_block is not None:
        arch["convs_per_block"] = a.convs_per_block
    if a.filters is not None:
        arch["filters"] = a.filters
    if a.no_double:
        arch["double_filters"] = False
    if a.unpadded is not None:
        arch["unpadded"] = tuple(int(v) for v in a.unpadded.split(",") if v.strip())
    model = cnn_model.build_model(**arch)
    batch = a.batch_size or (512 if dim == 2 else 64)
    opt = torch.optim.RMSprop(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=1 / math.sqrt(10),
                                                       patience=a.plateau)
    loss_fn = nn.BCELoss()
    gen = torch.Generator().manual_seed(a.seed)
    print(f"train {len(yt)} ({int(yt.sum())} positive), validation {len(yv)}; architecture {arch}", flush=True)
    best, best_state, since, history = -1.0, None, 0, []
    for epoch in range(a.epochs):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(yt), generator=gen)
        total = 0.0
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            if len(idx) < 2:
                continue  # batch norm needs two samples
            xb = xt[idx]
            if not a.no_mirror:
                xb = augment(xb, dim, gen)
            opt.zero_grad()
            loss = loss_fn(model(xb).squeeze(1), yt[idx])
            loss.backward()
            opt.step()
            total += float(loss) * len(idx)
        if not a.no_recalibrate:
            recalibrate_batch_norm(model, xt, dim, gen)
        acc_t = accuracy(model, xt, yt, 1024)
        acc_v = accuracy(model, xv, yv, 1024) if len(yv) else acc_t
        sched.step(acc_v)
        lr = opt.param_groups[0]["lr"]
        history.append(dict(epoch=epoch + 1, loss=total / max(1, len(yt)), train_accuracy=acc_t,
                            val_accuracy=acc_v, lr=lr, seconds=time.time() - t0))
        print(f"epoch {epoch + 1}: loss {total / max(1, len(yt)):.4f} train {acc_t:.4f} val {acc_v:.4f} "
              f"lr {lr:.2e} ({time.time() - t0:.1f} s)", flush=True)
        if acc_v > best:
            best, since = acc_v, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            since += 1
            if since >= a.patience:
                print(f"early stop: no improvement for {a.patience} epochs", flush=True)
                break
    model.load_state_dict(best_state)
    model.eval()
    cnn_model.export(model, a.out, dim, arch["in_channels"], arch["size"])
    print(f"best validation accuracy {best:.4f}; wrote {a.out}", flush=True)
    if a.predict:
        xa = torch.from_numpy(np.ascontiguousarray(x))
        with torch.no_grad():
            p = torch.cat([model(xa[i:i + 1024]).squeeze(1) for i in range(0, len(xa), 1024)])
        np.save(a.predict, p.numpy().astype(np.float64))
    if a.history:
        with open(a.history, "w") as fh:
            json.dump(dict(architecture={k: list(v) if isinstance(v, tuple) else v for k, v in arch.items()},
                           best_val_accuracy=best, epochs=history, dataset=settings), fh, indent=1)


if __name__ == "__main__":
    main()
