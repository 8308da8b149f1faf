#!/usr/bin/python3
"""torch_vae.py: the PyTorch side of `make bench` -- CS236's VAE (784-300-300-2z
ELU encoder, softplus variance + 1e-8, z-300-300-784 ELU decoder, Adam 1e-3,
batch 100, dynamic binarisation) trained on the same fixtures/mnist/*.gz, timed
per step, then NIWAE-1000 on the 100-digit test subset, timed.
Not a reference for the values the grader uses (those come from the C
reference); it exists to compare speed and to show the two train alike.
Run with Debian's /usr/bin/python3 (python3-torch 1.13). Prints one line
`BENCH impl=torch ...` for bench/bench.sh to read."""
import argparse
import gzip
import math
import os
import statistics
import struct
import sys
import time

import numpy as np

# torch is imported in main(), once OPENBLAS_NUM_THREADS is set: OpenBLAS
# reads it when the library loads.
torch = nn = F = None

WARMUP_STEPS = 20  # as the C side's TRAIN_WARMUP_STEPS


def load_idx(path):
    """Standard MNIST idx(.gz): big-endian magic, dims, then unsigned bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic >> 8 != 0x08:
        sys.exit(f"{path}: not an unsigned-byte idx file (magic {magic:#x})")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def images(path):
    a = load_idx(path)
    return torch.from_numpy(a.reshape(a.shape[0], -1).astype(np.float32) / 255.0)


def make_vae_class():
    class VAE(nn.Module):
        def __init__(self, x_dim=784, h=300, z_dim=10):
            super().__init__()
            self.z_dim = z_dim
            self.enc = nn.Sequential(nn.Linear(x_dim, h), nn.ELU(), nn.Linear(h, h),
                                     nn.ELU(), nn.Linear(h, 2 * z_dim))
            self.dec = nn.Sequential(nn.Linear(z_dim, h), nn.ELU(), nn.Linear(h, h),
                                     nn.ELU(), nn.Linear(h, x_dim))

        def encode(self, x):
            m, h = torch.split(self.enc(x), self.z_dim, dim=-1)
            return m, F.softplus(h) + 1e-8

        def nelbo(self, x):
            m, v = self.encode(x)
            z = m + torch.sqrt(v) * torch.randn_like(m)
            logits = self.dec(z)
            rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)
            kl = 0.5 * (-torch.log(v) + v + m * m - 1).sum(-1)
            return (kl + rec).mean(), kl.mean(), rec.mean()

        def niwae(self, x, iw):
            """-mean log (1/iw) sum_i p(x, z_i) / q(z_i | x), CS236's duplicate():
            the iw copies of the batch stacked sample-major."""
            m, v = self.encode(x)
            b = x.shape[0]
            m, v, xs = (t.repeat(iw, 1) for t in (m, v, x))
            z = m + torch.sqrt(v) * torch.randn_like(m)
            logits = self.dec(z)
            log_px = -F.binary_cross_entropy_with_logits(logits, xs, reduction="none").sum(-1)
            log_pz = (-0.5 * (z * z + math.log(2 * math.pi))).sum(-1)
            log_qz = (-0.5 * ((z - m) ** 2 / v + torch.log(2 * math.pi * v))).sum(-1)
            log_w = (log_px + log_pz - log_qz).reshape(iw, b)
            return -(torch.logsumexp(log_w, 0) - math.log(iw)).mean()
    return VAE


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1,
                    help="cores to use: OpenBLAS threads (torch's own pool stays at 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--data", default="fixtures/mnist-full")
    ap.add_argument("--iw", type=int, default=1000)
    ap.add_argument("--iw-chunk", type=int, default=1,
                    help="test digits per NIWAE call (iw x chunk rows at once); "
                         "1 was torch's fastest here (1.95 s against 6.1 s for 100)")
    ap.add_argument("--no-niwae", action="store_true")
    ap.add_argument("--eval", action="store_true",
                    help="also print the test-subset NELBO/KL/Rec (100 repeats)")
    a = ap.parse_args()

    # T cores = T OpenBLAS threads under one torch thread. Both pools at 2
    # oversubscribe the 2 cores (about 100 ms a step); torch's pool at 2 with
    # OpenBLAS at 1 took 9.1 ms, this way 7.6 ms.
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
    os.environ["OMP_NUM_THREADS"] = "1"
    global torch, nn, F
    import torch
    from torch import nn
    from torch.nn import functional as F
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x_train = images(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    x_sub = images(os.path.join(a.data, "subset-images-idx3-ubyte.gz"))  # binary already
    model = make_vae_class()()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    n = x_train.shape[0]
    perm, pos, times = torch.randperm(n), 0, []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        if pos + a.batch > n:
            perm, pos = torch.randperm(n), 0
        x = torch.bernoulli(x_train[perm[pos:pos + a.batch]])
        pos += a.batch
        opt.zero_grad()
        loss, _, _ = model.nelbo(x)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    timed = times[WARMUP_STEPS:] if len(times) > WARMUP_STEPS else times
    ms = 1e3 * statistics.median(timed)

    fields = [f"impl=torch", f"threads={a.threads}", f"steps={a.steps}",
              f"ms_per_iter={ms:.4f}", f"min_ms={1e3 * min(timed):.4f}",
              f"final_loss={loss.item():.4f}"]
    with torch.no_grad():
        if a.eval:
            tot = torch.zeros(3)
            for _ in range(100):
                tot += torch.stack(model.nelbo(x_sub)) / 100
            print(f"torch test subset: NELBO {tot[0]:.3f}  KL {tot[1]:.3f}  Rec {tot[2]:.3f}")
            fields += [f"nelbo={tot[0]:.4f}", f"kl={tot[1]:.4f}", f"rec={tot[2]:.4f}"]
        if not a.no_niwae:
            t0 = time.perf_counter()
            acc = 0.0
            for i in range(0, x_sub.shape[0], a.iw_chunk):
                xc = x_sub[i:i + a.iw_chunk]
                acc += model.niwae(xc, a.iw).item() * xc.shape[0]
            secs = time.perf_counter() - t0
            fields += [f"niwae{a.iw}={acc / x_sub.shape[0]:.4f}", f"niwae{a.iw}_s={secs:.4f}"]
    print("BENCH " + " ".join(fields), flush=True)


if __name__ == "__main__":
    main()
