#!/bin/sh
# batch_fake_grader.sh: `vaegrade batch --grader` for tests only. It stands
# in for `vaegrade grade DIR ...`: when DIR holds a file HANG it hangs (a
# sleep of as many seconds as HANG says, so each test can look for its
# own), when it holds CRASH it dies of SIGSEGV, as a broken grader would;
# otherwise it runs the real grader with the same arguments.
dir=$2
if [ -e "$dir/HANG" ]; then
    exec sleep "$(cat "$dir/HANG")"
fi
if [ -e "$dir/CRASH" ]; then
    kill -SEGV $$
fi
exec "$(dirname "$0")/../../build/rel/bin/vaegrade" "$@"
