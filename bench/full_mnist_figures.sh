#!/bin/sh
# full_mnist_figures.sh: the README's CS236 VAE figures on the full MNIST
# (fixtures/mnist-full): the C reference through vae-train (what `make train
# SUBMISSION=reference` runs) and PyTorch (torch_vae.py), one after the other,
# same seed convention (seed 0 for both initialisations and batches, batch
# 100, Adam 1e-3, dynamic binarisation, 1 thread), for each step count given.
# Prints one table row per run: steps, impl, test-subset NELBO / KL / Rec
# (100 repeats), NIWAE-1000, wall time and median ms per step.
# Usage: sh bench/full_mnist_figures.sh VAE_TRAIN STEPS... (from the top).
set -eu
vt=$1
shift
data=fixtures/mnist-full
out=${TMPDIR:-/tmp}/full-mnist-figures.$$
mkdir -p "$out"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
echo "| steps | impl | NELBO / KL / Rec | NIWAE-1000 | wall | ms/step |"
echo "|---|---|---|---|---|---|"
for n in "$@"; do
    t0=$(date +%s.%N)
    "$vt" vae --iters "$n" --seed 0 --data "$data" --out "$out/c$n" > "$out/c$n.log" 2>&1
    t1=$(date +%s.%N)
    awk -v n="$n" -v wall="$(echo "$t1 - $t0" | bc)" '
        /ms per step/ { for (i = 1; i <= NF; i++) if ($i == "ms") ms = $(i - 1) }
        /^test subset/ { nelbo = $(NF - 4); kl = $(NF - 2); rec = $NF }
        /negative IWAE-1000:/ { iw = $3 }
        END { printf "| %d | C | %s / %s / %s | %s | %.0f s | %s |\n", n, nelbo, kl, rec, iw, wall, ms }' "$out/c$n.log"
    t0=$(date +%s.%N)
    /usr/bin/python3 bench/torch_vae.py --steps "$n" --seed 0 --data "$data" --eval > "$out/t$n.log" 2>&1
    t1=$(date +%s.%N)
    awk -v n="$n" -v wall="$(echo "$t1 - $t0" | bc)" '
        /^BENCH/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
        END { printf "| %d | PyTorch | %.2f / %.2f / %.2f | %.2f | %.0f s | %.2f |\n", n, f["nelbo"], f["kl"], f["rec"], f["niwae1000"], wall, f["ms_per_iter"] }' "$out/t$n.log"
done
echo "logs in $out" >&2
