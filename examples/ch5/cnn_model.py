"""The CNN of Fan's thesis ch. 5 in PyTorch, and its export to amorph's
binary network format (read by include/amorph/learn/cnn.hpp).

Architecture (thesis Fig. 5.1e / 5.2): `blocks` blocks of `convs_per_block`
3^D convolutions, each followed by batch norm and ReLU; a 2^D max-pool
(stride 2) after every block but the last; `filters` filters in the first
block, doubled after each pool when `double_filters` (2D thesis) or constant
(3D thesis); zero padding 1 except for the 1-based conv indices in
`unpadded` (2D thesis: 5 and 25, so a 50x50 map ends at 1x1x320); then
flatten, a linear layer to one neuron and a sigmoid.

File format (little-endian; the same text is in cnn.hpp):
  char[8] magic b"AMCNN\\0\\0\\1"; u32 version 1; u32 dim; u32 in_channels;
  u32[3] in_shape (Z, Y, X; Z = 1 in 2D); u32 n_layers; then per layer a u32
  kind and
    1 conv:       u32 out, in, kernel, padding, has_bias; f32 weight[out][in][k^D]; f32 bias[out]
    2 batch_norm: u32 channels; f32 eps; f32 gamma, beta, running_mean, running_var
    3 relu, 5 flatten, 7 sigmoid: nothing
    4 max_pool:   u32 kernel, stride
    6 linear:     u32 out, in; f32 weight[out][in], bias[out]

Only Debian's python3-torch and python3-numpy are needed.
"""
import struct

import torch
from torch import nn

MAGIC = b"AMCNN\x00\x00\x01"


def thesis_defaults(dim):
    """Keyword arguments of build_model for the thesis networks."""
    if dim == 3:
        return dict(dim=3, in_channels=2, size=32, blocks=4, convs_per_block=5, filters=60,
                    double_filters=False, unpadded=())
    return dict(dim=2, in_channels=2, size=50, blocks=5, convs_per_block=5, filters=20,
                double_filters=True, unpadded=(5, 25))


def build_model(dim=2, in_channels=2, size=50, blocks=5, convs_per_block=5, filters=20,
                double_filters=True, unpadded=(5, 25)):
    """nn.Sequential of the thesis architecture (see the module docstring)."""
    conv = nn.Conv2d if dim == 2 else nn.Conv3d
    bn = nn.BatchNorm2d if dim == 2 else nn.BatchNorm3d
    pool = nn.MaxPool2d if dim == 2 else nn.MaxPool3d
    layers, c, f, n, s = [], in_channels, filters, 0, size
    for b in range(blocks):
        for _ in range(convs_per_block):
            n += 1
            pad = 0 if n in unpadded else 1
            layers += [conv(c, f, 3, padding=pad), bn(f), nn.ReLU()]
            c = f
            s = s + 2 * pad - 2
            if s < 1:
                raise ValueError(f"conv {n}: the map shrinks to nothing; use fewer blocks or more padding")
        if b + 1 < blocks:
            layers.append(pool(2))
            s //= 2
            if double_filters:
                f *= 2
    layers += [nn.Flatten(), nn.Linear(c * s ** dim, 1), nn.Sigmoid()]
    return nn.Sequential(*layers)


def _f32(t):
    return t.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()


def export(model, path, dim, in_channels, size):
    """Write an nn.Sequential of Conv/BatchNorm/ReLU/MaxPool/Flatten/Linear/Sigmoid."""
    out = bytearray(MAGIC)
    z = size if dim == 3 else 1
    out += struct.pack("<7I", 1, dim, in_channels, z, size, size, len(model))
    for m in model:
        if isinstance(m, (nn.Conv2d, nn.Conv3d)):
            k = m.kernel_size[0]
            if any(x != k for x in m.kernel_size) or any(x != 1 for x in m.stride) \
                    or any(x != 1 for x in m.dilation) or m.groups != 1:
                raise ValueError("only square stride-1 convolutions are supported")
            p = m.padding[0]
            if isinstance(m.padding, str) or any(x != p for x in m.padding):
                raise ValueError("only equal numeric padding is supported")
            has_bias = m.bias is not None
            out += struct.pack("<6I", 1, m.out_channels, m.in_channels, k, p, int(has_bias))
            out += _f32(m.weight)
            if has_bias:
                out += _f32(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm3d)):
            out += struct.pack("<2I", 2, m.num_features) + struct.pack("<f", m.eps)
            w = m.weight if m.affine else torch.ones(m.num_features)
            b = m.bias if m.affine else torch.zeros(m.num_features)
            out += _f32(w) + _f32(b) + _f32(m.running_mean) + _f32(m.running_var)
        elif isinstance(m, nn.ReLU):
            out += struct.pack("<I", 3)
        elif isinstance(m, (nn.MaxPool2d, nn.MaxPool3d)):
            k = m.kernel_size if isinstance(m.kernel_size, int) else m.kernel_size[0]
            st = m.stride if isinstance(m.stride, int) else m.stride[0]
            if m.padding not in (0, (0, 0), (0, 0, 0)) or m.ceil_mode:
                raise ValueError("max-pool padding / ceil_mode are not supported")
            out += struct.pack("<3I", 4, k, st)
        elif isinstance(m, nn.Flatten):
            out += struct.pack("<I", 5)
        elif isinstance(m, nn.Linear):
            out += struct.pack("<3I", 6, m.out_features, m.in_features)
            out += _f32(m.weight) + _f32(m.bias)
        elif isinstance(m, nn.Sigmoid):
            out += struct.pack("<I", 7)
        else:
            raise ValueError(f"layer {type(m).__name__} has no amorph equivalent")
    with open(path, "wb") as fh:
        fh.write(out)


def load(path):
    """Read an .amcnn file back into an nn.Sequential (eval mode); returns
    (model, dim, in_channels, in_shape)."""
    import numpy as np
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not an amorph CNN file")
    pos = 8

    def u32(n=1):
        nonlocal pos
        v = struct.unpack_from(f"<{n}I", data, pos)
        pos += 4 * n
        return v if n > 1 else v[0]

    def f32(n):
        nonlocal pos
        v = np.frombuffer(data, dtype="<f4", count=n, offset=pos).astype(np.float32)
        pos += 4 * n
        return torch.from_numpy(v.copy())

    version, dim, cin = u32(3)
    if version != 1:
        raise ValueError(f"{path}: unsupported version {version}")
    shape = u32(3)
    layers = []
    for _ in range(u32()):
        kind = u32()
        if kind == 1:
            out, inn, k, p, has_bias = u32(5)
            m = (nn.Conv2d if dim == 2 else nn.Conv3d)(inn, out, k, padding=p, bias=bool(has_bias))
            m.weight.data = f32(out * inn * k ** dim).reshape(m.weight.shape)
            if has_bias:
                m.bias.data = f32(out)
        elif kind == 2:
            c = u32()
            (eps,) = struct.unpack_from("<f", data, pos)
            pos += 4
            m = (nn.BatchNorm2d if dim == 2 else nn.BatchNorm3d)(c, eps=eps)
            m.weight.data, m.bias.data = f32(c), f32(c)
            m.running_mean.data, m.running_var.data = f32(c), f32(c)
        elif kind == 3:
            m = nn.ReLU()
        elif kind == 4:
            k, s = u32(2)
            m = (nn.MaxPool2d if dim == 2 else nn.MaxPool3d)(k, stride=s)
        elif kind == 5:
            m = nn.Flatten()
        elif kind == 6:
            out, inn = u32(2)
            m = nn.Linear(inn, out)
            m.weight.data, m.bias.data = f32(out * inn).reshape(out, inn), f32(out)
        elif kind == 7:
            m = nn.Sigmoid()
        else:
            raise ValueError(f"{path}: unknown layer kind {kind}")
        layers.append(m)
    if pos != len(data):
        raise ValueError(f"{path}: trailing bytes")
    return nn.Sequential(*layers).eval(), dim, cin, shape
