#!/bin/sh
# grade-entry.sh FORMAT SUBMISSION_DIR RESULTS_FILE [METADATA_FILE]: one
# official grade in a grading image (FORMAT gradescope or prairielearn),
# shared by Gradescope's run_autograder and PrairieLearn's entry point.
# vaegrade runs with the hidden checks, --require-isolation, in a network
# namespace of its own when the kernel allows one, under a time limit; and
# RESULTS_FILE is valid JSON whatever happens: vaegrade writes it even when
# the submission does not build, and when vaegrade itself cannot run or is
# killed, this script writes a fallback that says so. Exits 0 so the
# platform reads the file.
set -u
fmt=${1:?usage: grade-entry.sh gradescope|prairielearn SUBMISSION_DIR RESULTS_FILE [METADATA_FILE]}
sub=${2:?submission directory}
out=${3:?results file}
meta=${4:-}
src=${VAEGRADE_SOURCE:-/autograder/source}
vg=$src/build/rel/bin/vaegrade
# Gradescope's default limit is 10 minutes for the whole run; the
# fallback must be written before the platform kills the container.
limit=${VAEGRADE_TIMEOUT:-570}

mkdir -p "$(dirname "$out")"
rm -f "$out"

# Fixed text only: nothing a submission controls goes in by hand.
fallback() {
    why=$1
    if [ "$fmt" = prairielearn ]; then
        printf '{"gradable": false, "score": 0, "message": "%s", "output": "%s", "tests": []}\n' \
            "The grader could not grade this submission; it costs no attempt." "$why" > "$out"
    else
        printf '{"score": 0, "output": "%s", "tests": []}\n' \
            "The grader could not grade this submission: $why Please tell the course staff." > "$out"
    fi
}

set -- grade "$sub" --json "$out" --format "$fmt" --hidden --require-isolation
if [ -n "$meta" ] && [ -f "$meta" ]; then
    set -- "$@" --metadata "$meta"
fi
# No network for anything the grade starts: a namespace with only a
# loopback that is down. Docker's default profile refuses it; the
# platform's own network policy is then what holds.
net=""
if unshare --net true 2>/dev/null; then
    net="unshare --net"
else
    echo "grade-entry.sh: cannot make a network namespace here; grading with the container's network" >&2
fi
status=0
if [ ! -x "$vg" ]; then
    status=127
else
    $net timeout -k 10 "$limit" "$vg" "$@" || status=$?
fi
if [ ! -s "$out" ]; then
    case $status in
        124|137) fallback "grading took longer than its limit of $limit s." ;;
        127) fallback "the grader is not installed in this image (no $vg)." ;;
        *) fallback "the grader stopped with status $status before writing its results." ;;
    esac
    echo "grade-entry.sh: vaegrade exited $status without results; wrote the fallback $out" >&2
fi
exit 0
