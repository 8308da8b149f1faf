# container-limits.sh: sourced by container-check.sh --limits, in the root
# it has just set up. The whole run_autograder (hidden checks included) on
# the reference's files, pinned to core 0 beside a busy loop on core 0
# (Gradescope's default is half a vCPU), in a memory cgroup of its own
# capped at 768 MiB (Gradescope's default), whose peak usage is the peak
# memory. Says both figures and fails past 10 minutes, 768 MiB or short
# of full marks.
limit_s=600
limit_mib=768
# A memory cgroup capped at the limit, as tests/grader/test_limits.c
# makes one: v2 where the unified hierarchy is mounted, else v1's memory
# controller (this machine's kind).
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
    cg=/sys/fs/cgroup/vaegrade-limits-$$
    max=memory.max swap=memory.swap.max swap_value=0 peak_file=memory.peak
elif [ -d /sys/fs/cgroup/memory ]; then
    cg=/sys/fs/cgroup/memory/vaegrade-limits-$$
    max=memory.limit_in_bytes swap=memory.memsw.limit_in_bytes
    swap_value=$((limit_mib << 20)) peak_file=memory.max_usage_in_bytes
else
    die "--limits needs a cgroup memory controller at /sys/fs/cgroup"
fi
mkdir "$cg"
echo $((limit_mib << 20)) > "$cg/$max"
echo "$swap_value" > "$cg/$swap" 2>/dev/null || true
submission reference "$root/autograder/submission"
rm -rf "$root/autograder/results"
taskset -c 0 sh -c 'while :; do :; done' &
spin=$!
say "limits: run_autograder on the reference, core 0 shared with a busy loop (pid $spin)"
t0=$(date +%s.%N)
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
    taskset -c 0 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    unshare --net --pid --fork --mount-proc="$root/proc" chroot "$root" /autograder/run_autograder \
    2>&1 | tail -n 3 | sed 's/^/  [run_autograder] /'
t1=$(date +%s.%N)
kill "$spin"
wait "$spin" 2>/dev/null || true
peak=$(cat "$cg/$peak_file" 2>/dev/null || echo 0)
rmdir "$cg" 2>/dev/null || true
wall=$(awk "BEGIN { print $t1 - $t0 }")
peak_mib=$(( peak / 1048576 ))
res=$root/autograder/results/results.json
cp "$res" "$work/gradescope-limits.json"
say "limits: $(printf '%.0f' "$wall") s wall (limit $limit_s s), peak memory $peak_mib MiB (limit $limit_mib MiB), score $(jq .score "$res")"
check gradescope "$work/gradescope-limits.json" "$(gs_expect reference)" "limits: full marks"
awk "BEGIN { exit !($wall < $limit_s) }" || die "limits: $wall s is over $limit_s s"
[ "$peak" -gt 0 ] || die "limits: the cgroup reported no $peak_file"
[ "$peak_mib" -lt "$limit_mib" ] || die "limits: $peak_mib MiB is over $limit_mib MiB"
[ "$failures" -eq 0 ] || die "limits: the grade was not full marks"
