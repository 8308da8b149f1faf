#!/bin/sh
# container-check.sh ZIP WORK [--limits]: the grading image's scripts, run
# in a real Debian bookworm root without a container engine. mmdebstrap
# makes the root once (its tarball cached in WORK, the host's apt sources
# reused); each run unpacks it afresh, unpacks ZIP (make autograder) into
# /autograder/source, runs setup.sh inside with chroot (the network on, as
# when Gradescope builds the image), then run_autograder with no network
# (unshare --net --pid --fork --mount-proc, then chroot) on four
# submissions: the stubs, the reference's files, one that does not
# compile, one whose kl_normal loops; and PrairieLearn's entry point on /grade/
# for the stubs, the reference and an empty folder; and the fallback file
# when the grader cannot run. Each results.json is held to its platform's field list
# (check-results.jq, with jq) and to what that submission must score.
# --limits: instead, the reference's whole run_autograder on one core
# beside a busy loop, in a memory cgroup: its wall time and peak memory
# (in the root the last check set up, when it is newer than ZIP).
# Needs root. Exits non-zero, saying why, when it cannot run or a check fails.
set -eu
zip=${1:?usage: container-check.sh ZIP WORK [--limits]}
work=${2:?usage: container-check.sh ZIP WORK [--limits]}
mode=${3:-check}
say() { echo "container-check: $*"; }
die() { echo "container-check: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "cannot run: needs root (mmdebstrap, chroot, mount, unshare). Run 'sudo make container-check'."
sh tools/deps.sh mmdebstrap jq unzip > /dev/null ||
    die "cannot run: mmdebstrap, jq and unzip are needed (tools/deps.sh says how above)"
[ -s "$zip" ] || die "cannot run: no $zip (make autograder)"
mkdir -p "$work"
work=$(cd "$work" && pwd)
zip=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")
here=$(cd "$(dirname "$0")" && pwd)

# ---- the bookworm root: made once, unpacked afresh each run -----------------
tarball=$work/bookworm.tar
if [ ! -s "$tarball" ]; then
    sources=""
    for s in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
        if [ -s "$s" ]; then sources=$s; break; fi
    done
    say "making the bookworm root with mmdebstrap (once; cached as $tarball)"
    mmdebstrap --variant=apt bookworm "$tarball.tmp.tar" $sources
    mv "$tarball.tmp.tar" "$tarball"
fi
root=$work/root
unmount_all() {
    for m in proc var/cache/apt/archives; do
        mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
    done
    return 0
}
trap unmount_all EXIT INT TERM
ready=$work/root.ready
if [ "$mode" = --limits ] && [ "$ready" -nt "$zip" ]; then
    say "limits: reusing the root set up by the last check ($root)"
    mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
else
    rm -f "$ready"
    unmount_all
    rm -rf "$root"
    mkdir -p "$root"
    tar -xf "$tarball" -C "$root"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # Downloaded packages kept between runs: a rerun installs without fetching.
    mkdir -p "$work/apt-archives" "$root/var/cache/apt/archives"
    mount --bind "$work/apt-archives" "$root/var/cache/apt/archives"
    mount -t proc proc "$root/proc"
    mkdir -p "$root/autograder/source"
    unzip -q "$zip" -d "$root/autograder/source"

    in_root() {
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 chroot "$root" "$@"
    }
    say "running setup.sh inside the bookworm root ($(. "$root/etc/os-release" && echo "$PRETTY_NAME"))"
    t0=$(date +%s)
    in_root /bin/bash -c 'cd /autograder/source && ./setup.sh' 2>&1 | sed 's/^/  [setup.sh] /'
    [ -x "$root/autograder/source/build/rel/bin/vaegrade" ] || die "setup.sh did not build vaegrade"
    say "setup.sh done in $(( $(date +%s) - t0 )) s"
    cp "$root/autograder/source/run_autograder" "$root/autograder/run_autograder"
    umount -l "$root/var/cache/apt/archives"
    perm=$(stat -c %a "$root/autograder/source")
    [ "$perm" = 700 ] || die "the grader tree is mode $perm, not root's alone (700)"

    touch "$ready"
fi

# Runs argv inside the root with no network, in its own pid namespace.
offline() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        unshare --net --pid --fork --mount-proc="$root/proc" chroot "$root" "$@"
}

# Lays out submission $1 in $2 (a folder inside the root).
submission() {
    rm -rf "$2"
    mkdir -p "$2"
    case $1 in
        stubs) cp student_stub/*.c "$2/" ;;
        reference) cp reference/*.c "$2/" ;;
        does_not_compile)
            cp reference/*.c "$2/"
            echo 'this line is not C;' >> "$2/utils.c" ;;
        loop)   # kl_normal never returns: the cheapest checks to time out
            cp reference/*.c "$2/"
            patch -s --fuzz=0 -o "$2/utils.c" tests/grader/submissions/correct/utils.c \
                tests/grader/mutants/infinite_loop.patch ;;
    esac
}

# What each submission must score, over the Gradescope file.
gs_expect() {
    case $1 in
        stubs) echo '.score == 0 and (.tests | length) > 0' ;;
        reference) echo '(.tests | length) > 0 and all(.tests[]; .status == "passed")' ;;
        does_not_compile) echo 'any(.tests[]; .tags[0] == "utils.c") and all(.tests[]; if .tags[0] == "utils.c" then .extra_data.outcome == "refused" else .status == "passed" end)' ;;
        loop) echo 'any(.tests[]; .extra_data.outcome == "timed_out") and all(.tests[]; if (.tags[1] | test("kl_normal")) then true else .status == "passed" end)' ;;
    esac
}
pl_expect() {
    case $1 in
        stubs) echo '.gradable == true and .score == 0' ;;
        reference) echo '.gradable == true and .score == 1' ;;
    esac
}

failures=0
check() {   # check PLATFORM FILE EXPECTATION NAME
    if ! problems=$(jq -e -r --arg platform "$1" -f "$here/check-results.jq" "$2" 2>&1); then
        say "FAIL $4: $2 does not follow $1's field list:"
        echo "$problems" | head -n 20 | sed 's/^/    /'
        failures=$((failures + 1))
    elif ! jq -e "$3" "$2" > /dev/null; then
        say "FAIL $4: $2 is valid but does not score as it must: $3"
        jq -c '{score, tests: [.tests[]? | {n: (.extra_data.id // .name), o: (.extra_data.outcome // .points)}]}' "$2" | cut -c1-2000
        failures=$((failures + 1))
    else
        say "ok   $4"
    fi
}

# What "no network" means here: the namespace holds a loopback alone.
ifaces=$(offline cat /proc/net/dev | awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' | tr '\n' ' ')
[ "$ifaces" = "lo " ] || die "the grading namespace has network interfaces: $ifaces"
say "no network at grade time: the namespace's interfaces are: $ifaces"

if [ "$mode" = --limits ]; then
    . "$here/container-limits.sh"
    exit 0
fi

cat > "$root/autograder/submission_metadata.json" <<'META'
{"id": 4242, "created_at": "2026-01-15T10:00:00.000000-08:00",
 "users": [{"email": "student@example.com", "id": 1, "name": "Container Check"}]}
META
for sub in stubs reference does_not_compile loop; do
    submission "$sub" "$root/autograder/submission"
    rm -rf "$root/autograder/results"
    say "running run_autograder inside the root, no network: $sub"
    t0=$(date +%s)
    offline /autograder/run_autograder 2>&1 | tail -n 4 | sed 's/^/  [run_autograder] /'
    res=$root/autograder/results/results.json
    [ -s "$res" ] || { say "FAIL gradescope $sub: no results.json"; failures=$((failures + 1)); continue; }
    cp "$res" "$work/gradescope-$sub.json"
    check gradescope "$work/gradescope-$sub.json" "$(gs_expect "$sub")" \
        "gradescope $sub ($(( $(date +%s) - t0 )) s, $(stat -c %s "$res") bytes)"
done
jq -e '.extra_data.submission.id == "4242" and .extra_data.submission.users == ["Container Check"]' \
    "$work/gradescope-reference.json" > /dev/null ||
    { say "FAIL gradescope: submission_metadata.json did not reach extra_data"; failures=$((failures + 1)); }

# The format's own cases: nothing implemented, full marks (a score in
# [0, 1]), nothing built (below); Gradescope's cases cover the rest.
for sub in stubs reference; do
    rm -rf "$root/grade"
    submission "$sub" "$root/grade/student"
    mkdir -p "$root/grade/results"
    say "running the PrairieLearn entry point inside the root, no network: $sub"
    t0=$(date +%s)
    offline /autograder/source/docker/prairielearn/grade 2>&1 | tail -n 2 | sed 's/^/  [prairielearn] /'
    res=$root/grade/results/results.json
    [ -s "$res" ] || { say "FAIL prairielearn $sub: no results.json"; failures=$((failures + 1)); continue; }
    cp "$res" "$work/prairielearn-$sub.json"
    check prairielearn "$work/prairielearn-$sub.json" "$(pl_expect "$sub")" \
        "prairielearn $sub ($(( $(date +%s) - t0 )) s)"
done
# Nothing at all to build: gradable false, so it costs no attempt.
rm -rf "$root/grade" && mkdir -p "$root/grade/student" "$root/grade/results"
offline /autograder/source/docker/prairielearn/grade > /dev/null 2>&1
cp "$root/grade/results/results.json" "$work/prairielearn-empty.json" 2>/dev/null || true
check prairielearn "$work/prairielearn-empty.json" '.gradable == false' "prairielearn empty (gradable false)"

# The fallback: a grader that cannot run still leaves a valid file.
mv "$root/autograder/source/build/rel/bin/vaegrade" "$root/autograder/source/build/rel/bin/vaegrade.off"
submission reference "$root/autograder/submission"
rm -rf "$root/autograder/results"
offline /autograder/run_autograder > /dev/null 2>&1
mv "$root/autograder/source/build/rel/bin/vaegrade.off" "$root/autograder/source/build/rel/bin/vaegrade"
cp "$root/autograder/results/results.json" "$work/gradescope-fallback.json" 2>/dev/null || true
check gradescope "$work/gradescope-fallback.json" '.score == 0 and (.output | test("not installed"))' \
    "gradescope fallback (no grader)"

if [ "$failures" -gt 0 ]; then
    die "$failures check(s) failed; the results files are in $work"
fi
say "all passed; results files in $work"
