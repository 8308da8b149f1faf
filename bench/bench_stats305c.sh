#!/bin/sh
# bench_stats305c.sh: `make bench ASSIGNMENT=stats305c-hw6` -- times a
# training step of STATS 305C HW6 problem 3's VAE in C (stats305c-bench:
# the reference elbo, float32 networks) and in PyTorch (torch_stats305c.py),
# interleaved round after round at 1 thread so that both see the same
# machine load; prints a table and writes the medians to a JSON file.
# PyTorch is found (or installed) as for `make bench` (torch_env.sh).
# Usage: bench_stats305c.sh STATS305C_BENCH OUT_JSON [STEPS] [ROUNDS] [DATA]
set -eu
bin=$1
out=$2
steps=${3:-300}
rounds=${4:-5}
data=${5:-fixtures/mnist-full}
here=$(dirname "$0")
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
if [ ! -r "$data/train-images-idx3-ubyte.gz" ] && [ ! -r "$data/train-images-idx3-ubyte" ]; then
    echo "bench: no $data/train-images-idx3-ubyte[.gz]: STATS 305C HW6 trains on the full MNIST (BENCH_STATS305C_DATA=dir)" >&2
    exit 1
fi

. "$here/torch_env.sh"
. "$here/bench_stats.sh"

# One run of one side on one core: one OpenBLAS thread, one torch thread.
run() {
    if [ "$1" = c ]; then
        OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$bin" --steps "$steps" --threads 1 --data "$data"
    else
        "$py" "$here/torch_stats305c.py" --steps "$steps" --threads 1 --data "$data"
    fi | grep '^BENCH' >> "$lines" || { echo "bench: the $1 run failed" >&2; exit 1; }
}

r=1
while [ "$r" -le "$rounds" ]; do
    echo "bench: round $r/$rounds: C"
    run c
    if [ "$have_torch" = 1 ]; then
        echo "bench: round $r/$rounds: torch"
        run torch
    fi
    r=$((r + 1))
done

# median IMPL FIELD: over the rounds, or null when there is none.
median() { median_of "impl=$1 " "$2"; }

c1=$(median c ms_per_iter); t1=$(median torch ms_per_iter)
cm=$(median c min_ms); tm=$(median torch min_ms)
r1=$(ratio "$c1" "$t1"); rm=$(ratio "$cm" "$tm")

echo
echo "STATS 305C HW6 VAE (784-512-256-2 / 2-256-512-784 ReLU, batch 64), $steps steps per run, median of $rounds interleaved rounds, 1 thread"
printf '%-28s %12s %12s %9s\n' "" "C float32" "PyTorch" "C/torch"
printf '%-28s %12s %12s %9s\n' "ms per step (median)" "$c1" "$t1" "$r1"
printf '%-28s %12s %12s %9s\n' "ms per step (fastest)" "$cm" "$tm" "$rm"
echo
echo "target ratio_1t <= 0.7: $(verdict "$r1" 0.7)"

tv_json=null
[ -n "$torch_version" ] && tv_json="\"$torch_version\""
cat > "$out.tmp" <<JSON
{
  "assignment": "stats305c-hw6",
  "steps": $steps,
  "rounds": $rounds,
  "torch_version": $tv_json,
  "c_ms_per_iter_1t": $c1,
  "torch_ms_per_iter_1t": $t1,
  "ratio_1t": $r1,
  "c_min_ms_1t": $cm,
  "torch_min_ms_1t": $tm,
  "ratio_min_1t": $rm
}
JSON
mv "$out.tmp" "$out"
echo "wrote $out"
