#!/usr/bin/python3
"""numpy side of the .npy peer test (tests/learn/test_sklearn_peer.cpp).

Usage: npy_reference.py DIR
  reads DIR/features.npy, DIR/labels.npy, DIR/ids.npy written by amorph and
  writes DIR/check.json with their dtype, shape and values (as numpy sees them);
  writes DIR/f4_fortran.npy (float32, Fortran order, 3x4: 0.5*k in C order),
  DIR/i2_big.npy (big-endian int16 [-3, 7, -32768, 32767]),
  DIR/bool.npy ([True, False, True]) and DIR/u8.npy (uint64 [0, 2**53]).
"""
import json
import sys

import numpy as np


def main():
    d = sys.argv[1]
    out = {}
    for name in ("features", "labels", "ids"):
        a = np.load(f"{d}/{name}.npy", allow_pickle=False)
        out[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "values": a.ravel().tolist()}
    with open(f"{d}/check.json", "w") as fh:
        json.dump(out, fh)
    a = np.asfortranarray((0.5 * np.arange(12)).reshape(3, 4).astype(np.float32))
    np.save(f"{d}/f4_fortran.npy", a)
    np.save(f"{d}/i2_big.npy", np.array([-3, 7, -32768, 32767], dtype=">i2"))
    np.save(f"{d}/bool.npy", np.array([True, False, True]))
    np.save(f"{d}/u8.npy", np.array([0, 2 ** 53], dtype=np.uint64))


if __name__ == "__main__":
    main()
