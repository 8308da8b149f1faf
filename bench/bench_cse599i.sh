#!/bin/sh
# bench_cse599i.sh: `make bench ASSIGNMENT=cse599i-hw2` -- times a training
# step of each of CSE 599i HW2's three VAEs (Gaussian, discrete, 8-step
# IAF) in C (cse599i-train linked with the reference, float32 networks) and
# in PyTorch (torch_cse599i.py), interleaved model by model and round after
# round at 1 thread, so that both see the same machine load; prints a table
# of the medians over the rounds of each run's median step time and writes
# them to a JSON file. PyTorch is found (or installed) as for `make bench`
# (torch_env.sh). A step: the batch (grayscale, or binarised by one draw a
# pixel), the ELBO forward and backward, Adam (the model's, and the flow's).
# Usage: bench_cse599i.sh CSE599I_TRAIN OUT_JSON [STEPS] [ROUNDS] [DATA]
set -eu
bin=$1
out=$2
steps=${3:-300}
rounds=${4:-3}
data=${5:-fixtures/mnist-full}
here=$(dirname "$0")
lines=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$lines" "$tmp"' EXIT

. "$here/torch_env.sh"
. "$here/bench_stats.sh"

# One run of one side on one model, one core; the evaluation is cut to one
# pass and one importance sample (it is not timed).
run() {
    if [ "$1" = c ]; then
        OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$bin" --models "$2" --steps "$steps" \
            --repeats 1 --is-samples 1 --threads 1 --data "$data" --out "$tmp/c"
    else
        "$py" "$here/torch_cse599i.py" --models "$2" --steps "$steps" \
            --repeats 1 --is-samples 1 --log-every 0 --data "$data"
    fi | grep '^FIG' >> "$lines" || { echo "bench: the $1 run of $2 failed" >&2; exit 1; }
}

r=1
while [ "$r" -le "$rounds" ]; do
    for m in gauss discrete iaf; do
        echo "bench: round $r/$rounds: $m, C"
        run c "$m"
        if [ "$have_torch" = 1 ]; then
            echo "bench: round $r/$rounds: $m, torch"
            run torch "$m"
        fi
    done
    r=$((r + 1))
done

echo
echo "CSE 599i HW2's VAEs (784-300-300-10 ELU, batch 100; IAF: 8 MADEs 10-64-64-20), $steps steps per run, median of $rounds interleaved rounds, 1 thread"
printf '%-10s %14s %14s %9s\n' "model" "C ms/step" "PyTorch ms" "C/torch"
json="{\"steps\": $steps, \"rounds\": $rounds"
for m in gauss discrete iaf; do
    c=$(median_of "impl=c model=$m " ms_median)
    t=$(median_of "impl=torch model=$m " ms_median)
    q=$(ratio "$c" "$t")
    printf '%-10s %14s %14s %9s\n' "$m" "$c" "$t" "$q"
    json="$json, \"c_ms_$m\": $c, \"torch_ms_$m\": $t, \"ratio_$m\": $q"
done
echo "$json}" > "$out"
echo "medians in $out"
