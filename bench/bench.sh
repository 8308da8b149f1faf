#!/bin/sh
# bench.sh: `make bench` -- times a training step of the same VAE in this
# project's float32 path (vae-bench) and in PyTorch (torch_vae.py), runs
# interleaved round after round at 1 and at 2 threads so that both see the
# same machine load, plus NIWAE-1000 on the 100 test digits; prints a table
# and writes the medians to a JSON file. Without PyTorch (Debian's
# python3-torch at /usr/bin/python3) it installs it as root through
# tools/deps.sh, or prints the apt-get line and reports C alone.
# Usage: bench.sh VAE_BENCH OUT_JSON [STEPS] [ROUNDS]
set -eu
bin=$1
out=$2
steps=${3:-300}
rounds=${4:-5}
here=$(dirname "$0")
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT

. "$here/torch_env.sh"

# One run of one side on $2 cores. C: $2 OpenBLAS threads. torch: $2
# OpenBLAS threads under one torch thread (torch_vae.py sets both; with both
# pools at 2 the cores are oversubscribed and a step takes ~100 ms).
run() {
    if [ "$1" = c ]; then
        OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=$2 "$bin" vae --iters "$steps" --threads "$2"
    else
        "$py" "$here/torch_vae.py" --steps "$steps" --threads "$2"
    fi | grep '^BENCH' >> "$lines" || { echo "bench: the $1 run at $2 threads failed" >&2; exit 1; }
}

r=1
while [ "$r" -le "$rounds" ]; do
    for t in 1 2; do
        echo "bench: round $r/$rounds, $t thread(s): C"
        run c "$t"
        if [ "$have_torch" = 1 ]; then
            echo "bench: round $r/$rounds, $t thread(s): torch"
            run torch "$t"
        fi
    done
    r=$((r + 1))
done

# median IMPL THREADS FIELD: over the rounds, or null when there is none.
median() {
    grep "impl=$1 threads=$2 " "$lines" | tr ' ' '\n' | sed -n "s/^$3=//p" | sort -g |
        awk '{ a[NR] = $1 } END { if (NR == 0) print "null";
             else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null" || b == 0) print "null";
                                     else printf "%.3f\n", a / b }'
}

c1=$(median c 1 ms_per_iter); c2=$(median c 2 ms_per_iter)
t1=$(median torch 1 ms_per_iter); t2=$(median torch 2 ms_per_iter)
cn=$(median c 1 niwae1000_s); tn=$(median torch 1 niwae1000_s)
cn2=$(median c 2 niwae1000_s); tn2=$(median torch 2 niwae1000_s)
r1=$(ratio "$c1" "$t1"); r2=$(ratio "$c2" "$t2"); rn=$(ratio "$cn" "$tn")
cv=$(median c 1 niwae1000); tv=$(median torch 1 niwae1000)

echo
echo "VAE, batch 100, $steps steps per run, median of $rounds interleaved rounds"
printf '%-28s %12s %12s %9s\n' "" "C float32" "PyTorch" "C/torch"
printf '%-28s %12s %12s %9s\n' "ms per step, 1 thread" "$c1" "$t1" "$r1"
printf '%-28s %12s %12s %9s\n' "ms per step, 2 threads" "$c2" "$t2" "$r2"
printf '%-28s %12s %12s %9s\n' "NIWAE-1000 s, 1 thread" "$cn" "$tn" "$rn"
printf '%-28s %12s %12s %9s\n' "NIWAE-1000 s, 2 threads" "$cn2" "$tn2" "$(ratio "$cn2" "$tn2")"
printf '%-28s %12s %12s\n' "NIWAE-1000 after the run" "$cv" "$tv"
echo
verdict() { [ "$1" = null ] && echo "n/a" || { awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }' && echo met || echo MISSED; }; }
echo "target ratio_1t <= 0.6: $(verdict "$r1" 0.6)"
echo "target 2 threads faster than 1 (C): $(awk -v a="$c2" -v b="$c1" 'BEGIN { print (a < b) ? "met" : "MISSED" }')"
echo "target NIWAE-1000 <= 0.6x torch: $(verdict "$rn" 0.6)"

tv_json=null
[ -n "$torch_version" ] && tv_json="\"$torch_version\""
cat > "$out.tmp" <<JSON
{
  "steps": $steps,
  "rounds": $rounds,
  "torch_version": $tv_json,
  "c_ms_per_iter_1t": $c1,
  "torch_ms_per_iter_1t": $t1,
  "ratio_1t": $r1,
  "c_ms_per_iter_2t": $c2,
  "torch_ms_per_iter_2t": $t2,
  "ratio_2t": $r2,
  "c_niwae1000_s": $cn,
  "torch_niwae1000_s": $tn,
  "niwae1000_ratio": $rn,
  "c_niwae1000_s_2t": $cn2,
  "torch_niwae1000_s_2t": $tn2
}
JSON
mv "$out.tmp" "$out"
echo "wrote $out"
