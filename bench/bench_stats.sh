# bench_stats.sh: sourced by bench/bench.sh and bench/bench_vae.sh (POSIX
# sh): the summaries both make of their `BENCH k=v ...` lines, so that the
# two tables are computed alike. Needs `lines` (the file of BENCH lines).

# median_of SELECT FIELD: the median of FIELD over the lines that contain
# SELECT (e.g. "impl=c "), or null when there is none.
median_of() {
    grep "$1" "$lines" | tr ' ' '\n' | sed -n "s/^$2=//p" | sort -g |
        awk '{ a[NR] = $1 } END { if (NR == 0) print "null";
             else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# ratio A B: A/B to 3 decimals, or null when either is null or B is 0.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null" || b == 0) print "null";
                                     else printf "%.3f\n", a / b }'
}
# verdict VALUE LIMIT: met when VALUE <= LIMIT, MISSED above, n/a for null.
verdict() { [ "$1" = null ] && echo "n/a" || { awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }' && echo met || echo MISSED; }; }
