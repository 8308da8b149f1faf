#!/bin/sh
# bench_vae.sh: `make bench ASSIGNMENT=sta414-a3` (mk/sta414-bench.mk) and
# `make bench ASSIGNMENT=stats305c-hw6` (mk/stats305c-hw6-bench.mk) -- times
# a training step of the assignment's VAE in C (BENCH: the reference elbo,
# float32 networks) and in PyTorch (TORCH_PY, beside this script),
# interleaved round after round at 1 thread so that both see the same
# machine load; prints a table and writes the medians to a JSON file.
# PyTorch is found (or installed) as for `make bench` (torch_env.sh).
# Usage: bench_vae.sh ASSIGNMENT COURSE ARCH DATA_VAR TORCH_PY BENCH OUT_JSON
#                     [STEPS] [ROUNDS] [DATA]
# COURSE ("STA414 A3") and ARCH ("784-500-2 tanh, batch 100") name the
# model in the table; DATA_VAR is the make variable that sets DATA, for the
# message when the full MNIST is missing.
set -eu
assignment=$1
course=$2
arch=$3
data_var=$4
torch_py=$5
bin=$6
out=$7
steps=${8:-300}
rounds=${9:-5}
data=${10:-fixtures/mnist-full}
here=$(dirname "$0")
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
if [ ! -r "$data/train-images-idx3-ubyte.gz" ] && [ ! -r "$data/train-images-idx3-ubyte" ]; then
    echo "bench: no $data/train-images-idx3-ubyte[.gz]: $course trains on the full MNIST ($data_var=dir)" >&2
    exit 1
fi

. "$here/torch_env.sh"
. "$here/bench_stats.sh"

# One run of one side on one core: one OpenBLAS thread, one torch thread.
run() {
    if [ "$1" = c ]; then
        OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$bin" --steps "$steps" --threads 1 --data "$data"
    else
        "$py" "$here/$torch_py" --steps "$steps" --threads 1 --data "$data"
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
echo "$course VAE ($arch), $steps steps per run, median of $rounds interleaved rounds, 1 thread"
printf '%-28s %12s %12s %9s\n' "" "C float32" "PyTorch" "C/torch"
printf '%-28s %12s %12s %9s\n' "ms per step (median)" "$c1" "$t1" "$r1"
printf '%-28s %12s %12s %9s\n' "ms per step (fastest)" "$cm" "$tm" "$rm"
echo
echo "target ratio_1t <= 0.7: $(verdict "$r1" 0.7)"

tv_json=null
[ -n "$torch_version" ] && tv_json="\"$torch_version\""
cat > "$out.tmp" <<JSON
{
  "assignment": "$assignment",
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
