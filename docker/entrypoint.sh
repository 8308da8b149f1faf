#!/bin/sh
# entrypoint.sh: the grading image's entry point (docker/Dockerfile).
#   prairielearn          grade /grade/student into /grade/results/results.json
#   gradescope            grade /autograder/submission (run_autograder)
#   grade DIR [ARGS...]   vaegrade grade DIR ARGS (an instructor's one-off)
#   batch ARGS...         vaegrade batch ARGS (a folder of submissions, a shard)
#   help                  this text
set -eu
src=/autograder/source
cmd=${1:-help}
[ $# -gt 0 ] && shift
case $cmd in
    prairielearn) exec "$src/docker/prairielearn/grade" ;;
    gradescope) exec "$src/docker/gradescope/run_autograder" ;;
    grade|batch) exec "$src/build/rel/bin/vaegrade" "$cmd" "$@" ;;
    help|-h|--help) sed -n '2,7s/^# \{0,1\}//p' "$0" ;;
    *) echo "entrypoint.sh: unknown command $cmd (help lists them)" >&2; exit 1 ;;
esac
