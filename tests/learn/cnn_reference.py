#!/usr/bin/env python3
"""PyTorch reference for tests/learn/test_cnn_torch.cpp.

  cnn_reference.py OUTDIR NET...     (NET 2, 3, or 0 = the thesis 2D net)

Builds a random network of the thesis architecture (examples/ch5/
cnn_model.py) with random batch-norm statistics, exports it to OUTDIR/NET/net.amcnn,
draws random inputs (OUTDIR/NET/x.npy, float32, N x C x [Z x] Y x X), and writes the
float32 forward pass in eval mode (OUTDIR/y32.npy), its logits before the
sigmoid (OUTDIR/logit32.npy) and a float64 forward pass (OUTDIR/y64.npy,
OUTDIR/logit64.npy). Exit code 3 when torch is missing.
"""
import os
import sys

try:
    import numpy as np
    import torch
except ImportError as e:  # pragma: no cover
    print(f"cnn_reference: {e} (apt-get install python3-torch python3-numpy)", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "ch5"))
import cnn_model  # noqa: E402


def main():
    for which in sys.argv[2:]:
        outdir = os.path.join(sys.argv[1], which)
        os.makedirs(outdir, exist_ok=True)
        make(int(which), outdir)


def make(dim, outdir):
    torch.manual_seed(1 + dim)
    torch.set_num_threads(1)
    if dim == 0:  # the thesis 2D network, full size (50x50x2, 25 conv)
        dim, arch = 2, cnn_model.thesis_defaults(2)
    elif dim == 2:
        arch = dict(dim=2, in_channels=2, size=14, blocks=3, convs_per_block=2, filters=4,
                    double_filters=True, unpadded=(2, 6))
    else:
        arch = dict(dim=3, in_channels=2, size=8, blocks=2, convs_per_block=2, filters=5,
                    double_filters=False, unpadded=(4,))
    model = cnn_model.build_model(**arch)
    shape = (7, 2) + (arch["size"],) * dim
    x = torch.rand(shape, dtype=torch.float32) * 2.0
    # Random weights (He init), then batch-norm statistics measured on the inputs
    # and perturbed, so every layer carries signal and the outputs vary.
    with torch.no_grad():
        for m in model:
            if isinstance(m, (torch.nn.Conv2d, torch.nn.Conv3d)):
                torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                m.bias.uniform_(-0.1, 0.1)
            if isinstance(m, (torch.nn.BatchNorm2d, torch.nn.BatchNorm3d)):
                m.momentum = None  # running stats = the average over the calibration pass
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
        model.train()
        model(x)
        for m in model:
            if isinstance(m, (torch.nn.BatchNorm2d, torch.nn.BatchNorm3d)):
                m.running_mean.add_(torch.empty_like(m.running_mean).uniform_(-0.1, 0.1))
                m.running_var.mul_(torch.empty_like(m.running_var).uniform_(0.8, 1.25))
    model.eval()
    with torch.no_grad():  # logits of unit spread across the batch
        lin = model[-2]
        z = model[:-1](x)
        lin.weight.mul_(1.5 / max(float(z.std()), 1e-6))
        lin.bias.sub_(float(model[:-1](x).mean()))
    cnn_model.export(model, os.path.join(outdir, "net.amcnn"), dim, arch["in_channels"], arch["size"])
    x = torch.rand(shape, dtype=torch.float32) * 2.0  # fresh inputs for the comparison
    with torch.no_grad():
        y32 = model(x).numpy().astype(np.float64)
        logit = model[:-1](x).numpy().astype(np.float64)
        y64 = model.double()(x.double()).numpy()
        logit64 = model[:-1](x.double()).numpy()
    # the reader in cnn_model.py gives back the same network
    back, bdim, bcin, bshape = cnn_model.load(os.path.join(outdir, "net.amcnn"))
    with torch.no_grad():
        same = np.array_equal(back(x).numpy().astype(np.float64), y32)
        if (bdim, bcin, bshape[-1]) != (dim, arch["in_channels"], arch["size"]) or not same:
            raise SystemExit("cnn_model.load does not reproduce the exported network")
    np.save(os.path.join(outdir, "x.npy"), x.numpy())
    np.save(os.path.join(outdir, "y32.npy"), y32)
    np.save(os.path.join(outdir, "y64.npy"), y64)
    np.save(os.path.join(outdir, "logit32.npy"), logit)
    np.save(os.path.join(outdir, "logit64.npy"), logit64)


if __name__ == "__main__":
    main()
