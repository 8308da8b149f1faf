#!/usr/bin/python3
"""torch_cse599i.py: the PyTorch side of cse599i-hw2's figures -- UW CSE 599i
HW2's three VAEs as `make train ASSIGNMENT=cse599i-hw2` trains them in C
(tools/cse599i-hw2/), with the same sizes, optimiser, batch, steps, data,
binarisation and evaluation:
  (a) gauss: grayscale digits in [0,1], a Gaussian decoder of fixed sigma
      (mean = the decoder's output), the closed-form KL;
  (b) discrete: dynamically binarised digits, Bernoulli logits, closed KL;
  (c) iaf: (b) with an inverse autoregressive flow of T MADE steps on top of
      the encoder's Gaussian (the one-sample Monte Carlo KL).
Each is trained from seed S for N steps of batch 100 (Adam), then evaluated
on the public test subset of fixtures/mnist-full (the grader's 100 digits,
10 per class, binarised once; (a) on the same 100 digits in grayscale, read
from t10k by the subset's rule): the test ELBO (the mean over R passes of
one sample per digit) and, for (b) and (c), the importance-sampling
log-likelihood with M = 1000 samples per digit.

Not a reference for the grader's values (the C reference is); it exists to
show the two train alike, and how long each takes. Run with Debian's
/usr/bin/python3 (python3-torch 1.13), one thread. Prints, per model, one
line `FIG impl=torch model=... test_elbo=... is1000=... train_s=...`."""
import argparse
import math
import os
import statistics
import sys
import time

import numpy as np

from idx_file import load_idx

# torch is imported in main(), once OPENBLAS_NUM_THREADS is set.
torch = nn = F = None

LOG_2PI = math.log(2 * math.pi)

# The model configuration: config_model_cse599i_hw2() and
# config_cse599i_hw2() in framework/config.c, made.h and iaf.h (MADE
# degrees, step orders); keep the two in step. Initialisation is
# nn.Linear's on both sides (the C side draws other numbers from its own
# rng, so the two runs start from different weights of one distribution).
CFG = dict(
    x_dim=784,
    z_dim=10,
    hidden=300,              # 784 -> 300 ELU -> 300 ELU -> 2Z, and back
    n_hidden=2,
    act="elu",
    enc_var="log_var",       # the encoder gives (mu, log variance)
    gauss_sigma=0.1,         # the Gaussian decoder's fixed sigma
    gauss_mean="identity",   # g(z) is the decoder's output itself
    iaf_steps=8,
    made_hidden=64,          # each MADE: Z -> 64 ELU -> 64 ELU -> (m, s)
    made_s_bias=1.0,         # s's initial bias (made_init_params)
    batch=100,
    lr=1e-3,
)


def path_of(folder, name):
    p = os.path.join(folder, name + "-ubyte.gz")
    return p if os.path.exists(p) else p[:-3]


def load_data(folder):
    """(train, sub_bin, sub_gray): the training split as float32 (N, 784) in
    [0,1] (bytes / 255, as dataset_load scales them); the public test subset
    (100, 784) of 0/1 as committed; its grayscale twin: the same digits from
    t10k, i.e. per class the first 10 rows of that class, in file order
    (mnist_subset.h's rule, skip 0)."""
    tr = load_idx(path_of(folder, "train-images-idx3"))
    train = torch.from_numpy(tr.reshape(tr.shape[0], -1).astype(np.float32) / 255.0)
    sb = load_idx(path_of(folder, "subset-images-idx3"))
    sub_bin = torch.from_numpy((sb.reshape(sb.shape[0], -1) > 0).astype(np.float32))
    te = load_idx(path_of(folder, "t10k-images-idx3"))
    tl = load_idx(path_of(folder, "t10k-labels-idx1"))
    seen, rows = [0] * 10, []
    for i, c in enumerate(tl):
        if seen[c] < 10:
            seen[c] += 1
            rows.append(i)
    gray = te[rows].reshape(len(rows), -1)
    if len(rows) != sub_bin.shape[0] or np.any((gray == 0) & (sb.reshape(len(rows), -1) > 0)):
        sys.exit(f"{folder}: the subset is not the first 10 t10k digits of each class")
    sub_gray = torch.from_numpy(gray.astype(np.float32) / 255.0)
    return train, sub_bin, sub_gray


def activation():
    return {"elu": nn.ELU, "relu": nn.ReLU, "tanh": nn.Tanh}[CFG["act"]]()


def mlp(n_in, n_out):
    layers, d = [], n_in
    for _ in range(CFG["n_hidden"]):
        layers += [nn.Linear(d, CFG["hidden"]), activation()]
        d = CFG["hidden"]
    layers.append(nn.Linear(d, n_out))
    return nn.Sequential(*layers)


def encoder_variance(h2):
    if CFG["enc_var"] == "softplus":
        return F.softplus(h2) + 1e-8
    if CFG["enc_var"] == "log_var":
        return torch.exp(h2)
    return torch.exp(2 * h2)  # log standard deviation


def log_normal(z, m, v):
    """log N(z | m, diag v) per row."""
    return (-0.5 * (LOG_2PI + torch.log(v) + (z - m) ** 2 / v)).sum(-1)


def log_std_normal(z):
    return (-0.5 * (LOG_2PI + z * z)).sum(-1)


def make_masked_linear():
    class MaskedLinear(nn.Linear):
        """nn.Linear whose weight is multiplied by a fixed 0/1 mask (O, I)."""
        def __init__(self, n_in, n_out, mask):
            super().__init__(n_in, n_out)
            self.register_buffer("mask", mask)

        def forward(self, x):
            return F.linear(x, self.weight * self.mask, self.bias)
    return MaskedLinear


def made_masks(order, hidden):
    """MADE's masks (Germain et al. 2015) for inputs in `order` (a
    permutation of 0..Z-1: input order[k] comes k-th): hidden unit j has
    degree 1 + (j mod (Z-1)); input->hidden lets through degree(in) <=
    degree(hidden), hidden->output degree(out) > degree(hidden), so output
    i depends only on inputs before it in the order."""
    Z = len(order)
    deg_in = torch.empty(Z, dtype=torch.long)
    deg_in[torch.tensor(order)] = torch.arange(1, Z + 1)
    deg_h = torch.tensor([1 + j % max(Z - 1, 1) for j in range(hidden)])
    m_in = (deg_h[:, None] >= deg_in[None, :]).float()     # (H, Z)
    m_hh = (deg_h[:, None] >= deg_h[None, :]).float()      # (H, H)
    m_out = (deg_in[:, None] > deg_h[None, :]).float()     # (Z, H)
    return m_in, m_hh, m_out


def make_models():
    MaskedLinear = make_masked_linear()
    D, Z = CFG["x_dim"], CFG["z_dim"]

    class IAFStep(nn.Module):
        """(m, s) = MADE(z); sigma = sigmoid(s); z' = sigma z + (1 - sigma) m;
        log|det dz'/dz| = sum log sigma (Kingma et al. 2016)."""
        def __init__(self, order):
            super().__init__()
            H = CFG["made_hidden"]
            m_in, m_hh, m_out = made_masks(order, H)
            self.l1 = MaskedLinear(Z, H, m_in)
            self.l2 = MaskedLinear(H, H, m_hh)
            self.lm = MaskedLinear(H, Z, m_out)
            self.ls = MaskedLinear(H, Z, m_out)
            # sigmoid(s) starts near 1, each step near the identity
            nn.init.constant_(self.ls.bias, CFG["made_s_bias"])

        def forward(self, z):
            h = F.elu(self.l2(F.elu(self.l1(z))))
            m, s = self.lm(h), self.ls(h)
            log_sig = F.logsigmoid(s)
            sig = torch.exp(log_sig)
            return sig * z + (1 - sig) * m, log_sig.sum(-1)

    class VAE(nn.Module):
        def __init__(self, kind):
            super().__init__()
            self.kind = kind
            self.enc = mlp(D, 2 * Z)
            self.dec = mlp(Z, D)
            if kind == "iaf":
                fwd = list(range(Z))
                self.flow = nn.ModuleList(
                    IAFStep(fwd if t % 2 == 0 else fwd[::-1])
                    for t in range(CFG["iaf_steps"]))

        def posterior(self, x, k=1):
            """k samples per row of x, sample-major (k*B, Z), with log q(z|x)
            and the encoder's (m, v) for the closed-form KL."""
            m, h2 = torch.split(self.enc(x), Z, dim=-1)
            v = encoder_variance(h2)
            m_k, v_k = m.repeat(k, 1), v.repeat(k, 1)
            eps = torch.randn_like(m_k)
            z = m_k + torch.sqrt(v_k) * eps
            log_q = log_normal(z, m_k, v_k)
            if self.kind == "iaf":
                for step in self.flow:
                    z, logdet = step(z)
                    log_q = log_q - logdet
            return z, log_q, m, v

        def log_px(self, x, z):
            out = self.dec(z)
            if self.kind == "gauss":
                g = torch.sigmoid(out) if CFG["gauss_mean"] == "sigmoid" else out
                s2 = CFG["gauss_sigma"] ** 2
                return (-((x - g) ** 2) / (2 * s2)).sum(-1) - 0.5 * D * math.log(2 * math.pi * s2)
            return -F.binary_cross_entropy_with_logits(out, x, reduction="none").sum(-1)

        def elbo(self, x):
            """Mean over the batch: one-sample reconstruction minus the KL,
            closed form for gauss and discrete, Monte Carlo for iaf."""
            z, log_q, m, v = self.posterior(x)
            rec = self.log_px(x, z)
            if self.kind == "iaf":
                kl = log_q - log_std_normal(z)
            else:
                kl = 0.5 * (v + m * m - 1 - torch.log(v)).sum(-1)
            return (rec - kl).mean()

        def log_marginal_is(self, x, M):
            """Per row: log (1/M) sum_i p(x|z_i) r(z_i) / q(z_i|x)."""
            B = x.shape[0]
            z, log_q, _, _ = self.posterior(x, M)
            log_w = self.log_px(x.repeat(M, 1), z) + log_std_normal(z) - log_q
            return torch.logsumexp(log_w.reshape(M, B), 0) - math.log(M)

        def sample_means(self, n):
            out = self.dec(torch.randn(n, Z))
            if self.kind == "gauss":
                g = torch.sigmoid(out) if CFG["gauss_mean"] == "sigmoid" else out
                return g.clamp(0, 1)
            return torch.sigmoid(out)
    return VAE


def train_one(VAE, kind, train, steps, seed, log_every):
    torch.manual_seed(seed)
    model = VAE(kind)
    opt = torch.optim.Adam(model.parameters(), lr=CFG["lr"])
    n, B = train.shape[0], CFG["batch"]
    perm, pos = torch.randperm(n), 0
    t0, c0 = time.perf_counter(), time.process_time()
    ema, times = None, []
    for i in range(1, steps + 1):
        ts = time.perf_counter()
        if pos + B > n:  # a new epoch: a fresh permutation
            perm, pos = torch.randperm(n), 0
        x = train[perm[pos:pos + B]]
        pos += B
        if kind != "gauss":
            x = torch.bernoulli(x)  # dynamic binarisation
        opt.zero_grad()
        loss = -model.elbo(x)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - ts)
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if log_every and (i % log_every == 0 or i == steps):
            print(f"{kind} step {i}: running -ELBO {ema:.3f} "
                  f"({time.perf_counter() - t0:.1f} s)", flush=True)
    return (model, time.perf_counter() - t0, time.process_time() - c0,
            statistics.median(times))


def evaluate(model, x, repeats, M, chunk):
    with torch.no_grad():
        elbo = sum(model.elbo(x).item() for _ in range(repeats)) / repeats
        if M == 0:
            return elbo, float("nan"), float("nan")
        per = torch.cat([model.log_marginal_is(x[i:i + chunk], M)
                         for i in range(0, x.shape[0], chunk)]).double()
        # the standard error across digits, as cse599i-train prints it
        return elbo, per.mean().item(), (per.std() / math.sqrt(per.numel())).item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default="fixtures/mnist-full")
    ap.add_argument("--models", default="gauss,discrete,iaf")
    ap.add_argument("--repeats", type=int, default=100,
                    help="passes of the test ELBO (one sample per digit each)")
    ap.add_argument("--is-samples", type=int, default=1000)
    ap.add_argument("--is-chunk", type=int, default=10,
                    help="test digits per IS call (M x chunk rows at once)")
    ap.add_argument("--log-every", type=int, default=1000)
    a = ap.parse_args()

    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    global torch, nn, F
    import torch
    from torch import nn
    from torch.nn import functional as F
    torch.set_num_threads(1)
    train, sub_bin, sub_gray = load_data(a.data)
    VAE = make_models()
    for kind in a.models.split(","):
        model, train_s, train_cpu_s, median_s = train_one(VAE, kind, train, a.steps, a.seed, a.log_every)
        t0 = time.perf_counter()
        x = sub_gray if kind == "gauss" else sub_bin
        elbo, is_ll, is_se = evaluate(model, x, a.repeats,
                               0 if kind == "gauss" else a.is_samples, a.is_chunk)
        eval_s = time.perf_counter() - t0
        print(f"FIG impl=torch model={kind} steps={a.steps} seed={a.seed} "
              f"test_elbo={elbo:.4f} is{a.is_samples}={is_ll:.4f} is_se={is_se:.4f} "
              f"train_s={train_s:.2f} train_cpu_s={train_cpu_s:.2f} eval_s={eval_s:.2f} "
              f"ms_per_step={1e3 * train_s / a.steps:.3f} "
              f"ms_median={1e3 * median_s:.3f}", flush=True)


if __name__ == "__main__":
    main()
