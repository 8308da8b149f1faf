#!/bin/sh
# cse599i_figures.sh: the README's cse599i-hw2 figures: the three VAEs of
# UW CSE 599i HW2 (Gaussian on grayscale, discrete on binarised, discrete
# with an 8-step IAF encoder) trained by the C reference through
# cse599i-train (what `make train ASSIGNMENT=cse599i-hw2
# SUBMISSION=reference` runs) and by PyTorch (torch_cse599i.py), one after
# the other, same steps, seed convention (seed 0 for initialisation and
# batches on each side), batch, optimiser, data and evaluation, one thread
# each. Prints one table row per model and implementation: the test ELBO
# (public test subset, 100 passes), the IS log-likelihood (M = 1000) with
# its standard error across the digits, the training's wall and CPU time
# and its median step.
# Usage: sh bench/cse599i_figures.sh CSE599I_TRAIN [STEPS] (from the top).
set -eu
bin=$1
steps=${2:-5000}
data=${CSE599I_DATA:-fixtures/mnist-full}
out=${TMPDIR:-/tmp}/cse599i-figures.$$
mkdir -p "$out"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
t0=$(date +%s)
"$bin" --steps "$steps" --seed 0 --data "$data" --out "$out/c" > "$out/c.log" 2>&1 ||
    { echo "cse599i_figures: the C run failed; see $out/c.log" >&2; exit 1; }
t1=$(date +%s)
/usr/bin/python3 bench/torch_cse599i.py --steps "$steps" --seed 0 --data "$data" > "$out/torch.log" 2>&1 ||
    { echo "cse599i_figures: the PyTorch run failed; see $out/torch.log" >&2; exit 1; }
t2=$(date +%s)
echo "| model | impl | test ELBO | IS log-likelihood, M = 1000 (± SE across digits) | training: wall (loaded machine) | CPU | median ms/step |"
echo "|---|---|---|---|---|---|---|"
for m in gauss discrete iaf; do
    for f in c torch; do
        awk -v m="$m" -v f="$f" '
            /^FIG / { delete kv; for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
                      if (kv["model"] == m) {
                          is = kv["is1000"] == "nan" ? "-" : sprintf("%.2f (± %.2f)", kv["is1000"], kv["is_se"])
                          printf "| %s | %s | %.2f | %s | %.0f s | %.0f s | %.1f |\n", m,
                              (f == "c" ? "C" : "PyTorch"), kv["test_elbo"], is,
                              kv["train_s"], kv["train_cpu_s"], kv["ms_median"] } }' "$out/$f.log"
    done
done
echo "whole runs: C $((t1 - t0)) s, PyTorch $((t2 - t1)) s (wall, evaluation and pictures included); logs in $out" >&2
