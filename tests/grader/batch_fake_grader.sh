#!/bin/sh
# batch_fake_grader.sh: `vaegrade batch --grader` for tests only. It stands
# in for `vaegrade grade DIR ...`: when DIR holds a file HANG it hangs, when
# it holds CRASH it dies of SIGSEGV, as a broken grader would; otherwise it
# runs the real grader with the same arguments.
dir=$2
if [ -e "$dir/HANG" ]; then
    exec sleep 1000
fi
if [ -e "$dir/CRASH" ]; then
    kill -SEGV $$
fi
exec "$(dirname "$0")/../../build/rel/bin/vaegrade" "$@"
