#!/usr/bin/python3
"""torch_sta414.py: the PyTorch side of `make bench ASSIGNMENT=sta414-a3` --
STA414/CSC412 A3's VAE (encoder 784 -> 500 tanh -> (mean, log std), 2-D
latent, decoder 2 -> 500 tanh -> 784 Bernoulli logits), the one-sample ELBO
(batch mean), Adam 1e-3, batch 100, on the assignment's data: the first
10,000 digits of full MNIST's training split to train, the next 10,000 to
test, binarised as x > 0.5.

Two uses: `--steps N` times N training steps and prints one line
`BENCH impl=torch ...` for bench/bench_vae.sh; `--epochs E` trains the
course's E (100) epochs and prints the test ELBO (one sample per digit, the
mean over the 10,000 test digits, as sta414-train reports it) and the time.
Not a reference for the grader's values (the C reference is); it exists to
compare speed and to show the two train alike. Run with Debian's
/usr/bin/python3 (python3-torch 1.13)."""
import argparse
import math
import os
import statistics
import sys
import time

import numpy as np

from idx_file import load_idx

# torch is imported in main(), once OPENBLAS_NUM_THREADS is set: OpenBLAS
# reads it when the library loads.
torch = nn = None

WARMUP_STEPS = 20  # as the C side's TRAIN_WARMUP_STEPS
N_TRAIN, N_TEST = 10000, 10000
LOG_2PI = math.log(2 * math.pi)


def binarised_splits(folder):
    """(train, test): rows 0..9,999 and 10,000..19,999 of the training split,
    1 where pixel / 255 > 0.5 (a byte >= 128), as float32 (N, 784)."""
    path = os.path.join(folder, "train-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        path = path[:-3]
    a = load_idx(path)
    if a.shape[0] < N_TRAIN + N_TEST:
        sys.exit(f"{path}: {a.shape[0]} digits, fewer than the {N_TRAIN + N_TEST} needed")
    x = torch.from_numpy((a[:N_TRAIN + N_TEST].reshape(N_TRAIN + N_TEST, -1) >= 128)
                         .astype(np.float32))
    return x[:N_TRAIN], x[N_TRAIN:]


def make_model(z_dim=2, h=500, x_dim=784):
    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.z_dim = z_dim
            self.enc = nn.Sequential(nn.Linear(x_dim, h), nn.Tanh(), nn.Linear(h, 2 * z_dim))
            self.dec = nn.Sequential(nn.Linear(z_dim, h), nn.Tanh(), nn.Linear(h, x_dim))

        def elbo(self, x):
            """Mean over the batch of log p(x, z) - log q(z | x), one
            reparameterised z per digit."""
            mu, logsig = torch.split(self.enc(x), self.z_dim, dim=-1)
            eps = torch.randn_like(mu)
            z = mu + torch.exp(logsig) * eps
            logits = self.dec(z)
            # Bernoulli log-mass on logits: -BCE, summed over the pixels
            log_px = -nn.functional.binary_cross_entropy_with_logits(
                logits, x, reduction="none").sum(-1)
            log_pz = (-0.5 * (LOG_2PI + z * z)).sum(-1)
            log_qz = (-0.5 * LOG_2PI - logsig - 0.5 * eps * eps).sum(-1)
            return (log_px + log_pz - log_qz).mean()
    return VAE()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=0, help="time this many steps")
    ap.add_argument("--epochs", type=int, default=0,
                    help="train this many epochs, then print the test ELBO")
    ap.add_argument("--threads", type=int, default=1,
                    help="cores: OpenBLAS threads (torch's own pool stays at 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--data", default="fixtures/mnist-full")
    a = ap.parse_args()
    if (a.steps > 0) == (a.epochs > 0):
        sys.exit("torch_sta414.py: give one of --steps N or --epochs E")

    # T cores = T OpenBLAS threads under one torch thread (bench/README.md).
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
    os.environ["OMP_NUM_THREADS"] = "1"
    global torch, nn
    import torch
    from torch import nn
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x_train, x_test = binarised_splits(a.data)
    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    n, B = x_train.shape[0], a.batch
    steps = a.steps if a.steps else a.epochs * (n // B)
    perm, pos, times = torch.randperm(n), 0, []
    t_start = time.perf_counter()
    for i in range(steps):
        t0 = time.perf_counter()
        if pos + B > n:  # a new epoch: a fresh permutation
            perm, pos = torch.randperm(n), 0
        x = x_train[perm[pos:pos + B]]
        pos += B
        opt.zero_grad()
        loss = -model.elbo(x)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
        if a.epochs and (i + 1) % (n // B) == 0:
            e = (i + 1) // (n // B)
            if e == 1 or e % 10 == 0:
                print(f"epoch {e}: last batch ELBO {-loss.item():.3f}  "
                      f"({time.perf_counter() - t_start:.1f} s)", flush=True)
    train_s = time.perf_counter() - t_start
    timed = times[WARMUP_STEPS:] if len(times) > WARMUP_STEPS else times
    fields = ["impl=torch", f"threads={a.threads}", f"steps={steps}",
              f"ms_per_iter={1e3 * statistics.median(timed):.4f}",
              f"min_ms={1e3 * min(timed):.4f}", f"final_loss={loss.item():.4f}"]
    if a.epochs:
        with torch.no_grad():
            total = sum(model.elbo(x_test[i:i + B]).item() * x_test[i:i + B].shape[0]
                        for i in range(0, x_test.shape[0], B))
        test_elbo = total / x_test.shape[0]
        print(f"torch: {a.epochs} epochs in {train_s:.1f} s; test ELBO "
              f"({x_test.shape[0]} digits, one sample each): {test_elbo:.3f}")
        fields += [f"epochs={a.epochs}", f"train_s={train_s:.2f}",
                   f"test_elbo={test_elbo:.4f}"]
    print("BENCH " + " ".join(fields), flush=True)


if __name__ == "__main__":
    main()
