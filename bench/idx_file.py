"""idx_file.py: the MNIST idx reader of the benchmarks' PyTorch side
(torch_vae.py, torch_sta414.py), one copy for both. Not a general idx
library: unsigned bytes only."""
import gzip
import struct
import sys

import numpy as np


def load_idx(path):
    """Standard MNIST idx or idx.gz (by the name's ending): big-endian magic,
    dims, then unsigned bytes, as a numpy array of those dims."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic >> 8 != 0x08:
        sys.exit(f"{path}: not an unsigned-byte idx file (magic {magic:#x})")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
