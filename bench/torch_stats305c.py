#!/usr/bin/python3
"""torch_stats305c.py: the PyTorch side of `make bench ASSIGNMENT=stats305c-hw6`
and of its headline figure -- STATS 305C HW6 problem 3's VAE as the course's
notebook trains it: encoder 784 -> 512 ReLU -> 256 ReLU -> (mu, log var),
2-D latent, decoder 2 -> 256 ReLU -> 512 ReLU -> 784 Bernoulli logits, the
ELBO as the batch mean of one-sample reconstruction minus the closed-form KL,
Adam at the course's lr 3e-4, batch 64 (the last batch of an epoch the
course's DataLoader leaves, 32 digits, kept), on the 60,000 training digits,
binarised as the course's binarize() does (pixel / 255 >= 0.5: a byte >=
128); the test ELBO over the 10,000 test digits, one sample each.

Two uses: `--steps N` times N training steps (full batches of 64) and prints
one line `BENCH impl=torch ...` for bench/bench_vae.sh; `--epochs E`
trains E epochs (the course's 20) and prints, as the course does, each
epoch's mean training ELBO and test ELBO, then the time. Not a reference for
the grader's values (the C reference is); it exists to compare speed and to
show the two train alike. Run with Debian's /usr/bin/python3
(python3-torch 1.13)."""
import argparse
import os
import statistics
import sys
import time

import numpy as np

from idx_file import load_idx

# torch is imported in main(), once OPENBLAS_NUM_THREADS is set: OpenBLAS
# reads it when the library loads.
torch = nn = None

WARMUP_STEPS = 20  # as the C side's (bench/stats305c_bench.c)
LR = 3e-4          # the course's: optim.Adam(..., lr=3e-4)
BATCH = 64         # the course's DataLoader(batch_size=64, shuffle=True)


def binarised(folder, name, n):
    """The first n digits of FOLDER/NAME-images-idx3-ubyte[.gz] as float32
    (n, 784): 1 where a byte >= 128 (the course's x >= 0.5 on x = byte/255)."""
    path = os.path.join(folder, f"{name}-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        path = path[:-3]
    a = load_idx(path)
    if a.shape[0] < n:
        sys.exit(f"{path}: {a.shape[0]} digits, fewer than the {n} needed")
    return torch.from_numpy((a[:n].reshape(n, -1) >= 128).astype(np.float32))


def make_model(z_dim=2, x_dim=784):
    """The course's Encoder(hidden_dims=[512, 256]) and Decoder(hidden_dims=
    [256, 512]), nn.Linear's own initialisation."""
    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.z_dim = z_dim
            self.enc = nn.Sequential(nn.Linear(x_dim, 512), nn.ReLU(),
                                     nn.Linear(512, 256), nn.ReLU(),
                                     nn.Linear(256, 2 * z_dim))
            self.dec = nn.Sequential(nn.Linear(z_dim, 256), nn.ReLU(),
                                     nn.Linear(256, 512), nn.ReLU(),
                                     nn.Linear(512, x_dim))

        def elbo(self, x):
            """Mean over the batch of log p(x | z) - KL(q(z | x) || N(0, I)),
            z = mu + exp(logvar / 2) eps, one eps per digit; the KL closed
            form, as the course's kl_divergence(Normal, Normal) gives it."""
            mu, logvar = torch.split(self.enc(x), self.z_dim, dim=-1)
            z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
            log_px = -nn.functional.binary_cross_entropy_with_logits(
                self.dec(z), x, reduction="none").sum(-1)
            kl = 0.5 * (torch.exp(logvar) + mu * mu - 1.0 - logvar).sum(-1)
            return (log_px - kl).mean()
    return VAE()


def test_elbo(model, x_test):
    """The mean over the test digits of their one-sample ELBOs."""
    with torch.no_grad():
        total = sum(model.elbo(x_test[i:i + BATCH]).item() * x_test[i:i + BATCH].shape[0]
                    for i in range(0, x_test.shape[0], BATCH))
    return total / x_test.shape[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=0, help="time this many steps")
    ap.add_argument("--epochs", type=int, default=0,
                    help="train this many epochs, then print the test ELBO")
    ap.add_argument("--threads", type=int, default=1,
                    help="cores: OpenBLAS threads (torch's own pool stays at 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default="fixtures/mnist-full")
    ap.add_argument("--lr", type=float, default=LR,
                    help="Adam's learning rate (the course's 3e-4); to match "
                    "a C run made with another config_stats305c_hw6().train.lr")
    a = ap.parse_args()
    if (a.steps > 0) == (a.epochs > 0):
        sys.exit("torch_stats305c.py: give one of --steps N or --epochs E")

    # T cores = T OpenBLAS threads under one torch thread (bench/README.md).
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
    os.environ["OMP_NUM_THREADS"] = "1"
    global torch, nn
    import torch
    from torch import nn
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x_train = binarised(a.data, "train", 60000)
    x_test = binarised(a.data, "t10k", 10000) if a.epochs else None
    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    n = x_train.shape[0]

    times = []
    t_start = time.perf_counter()
    loss = final = None
    if a.steps:
        # Full batches only, a fresh permutation whenever one would not fit,
        # as the C bench draws them: every timed step is the same size.
        perm, pos = torch.randperm(n), 0
        for _ in range(a.steps):
            t0 = time.perf_counter()
            if pos + BATCH > n:
                perm, pos = torch.randperm(n), 0
            x = x_train[perm[pos:pos + BATCH]]
            pos += BATCH
            opt.zero_grad()
            loss = -model.elbo(x)
            loss.backward()
            opt.step()
            times.append(time.perf_counter() - t0)
    else:
        for e in range(1, a.epochs + 1):
            perm, total = torch.randperm(n), 0.0
            for pos in range(0, n, BATCH):  # 937 batches of 64, one of 32
                t0 = time.perf_counter()
                x = x_train[perm[pos:pos + BATCH]]
                opt.zero_grad()
                loss = -model.elbo(x)
                loss.backward()
                opt.step()
                times.append(time.perf_counter() - t0)
                total -= loss.item() * x.shape[0]
            final = test_elbo(model, x_test)
            print(f"epoch {e}: mean training ELBO {total / n:.3f}, test ELBO "
                  f"{final:.3f}  ({time.perf_counter() - t_start:.1f} s)",
                  flush=True)
    train_s = time.perf_counter() - t_start
    timed = times[WARMUP_STEPS:] if len(times) > WARMUP_STEPS else times
    fields = ["impl=torch", f"threads={a.threads}", f"steps={len(times)}",
              f"ms_per_iter={1e3 * statistics.median(timed):.4f}",
              f"min_ms={1e3 * min(timed):.4f}", f"final_loss={loss.item():.4f}"]
    if a.epochs:
        # The headline is the last epoch's test ELBO, as the course prints
        # it (and stats305c-train); the per-epoch test ELBOs are counted in
        # train_s, as the course's loop runs them, and not in steps_s.
        print(f"torch: {a.epochs} epochs in {train_s:.1f} s, {sum(times):.1f} s "
              f"of them training steps; test ELBO ({x_test.shape[0]} digits, "
              f"one sample each): {final:.3f}")
        fields += [f"epochs={a.epochs}", f"lr={a.lr:g}", f"train_s={train_s:.2f}", f"steps_s={sum(times):.2f}",
                   f"test_elbo={final:.4f}"]
    print("BENCH " + " ".join(fields), flush=True)


if __name__ == "__main__":
    main()
