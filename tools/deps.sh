#!/bin/sh
# deps.sh: makes sure the Debian packages vaegrade builds with are present,
# then prints the compiler and linker flags as a make fragment on stdout.
# As root it installs what is missing with apt-get (updating the package
# lists first when they are empty or stale); otherwise it prints the one
# apt-get line to run and fails. Messages go to stderr.
# Usage: deps.sh [--no-tests] [extra-package ...]   (e.g. dataset-fashion-mnist for tests)
# --no-tests leaves out what only the test suites need (Criterion, patch):
# the student release builds no test.
set -u

tests="libcriterion-dev patch"
test_mods="criterion"
if [ "${1:-}" = "--no-tests" ]; then
    shift
    tests=""
    test_mods=""
fi
# PLplot draws the figures (framework/plot*.c) through its cairo driver,
# a package of its own.
base="libopenblas-dev $tests libcjson-dev zlib1g-dev libpng-dev libseccomp-dev pkg-config libplplot-dev plplot-driver-cairo"
want="$base $*"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: this is not a Debian system (no dpkg-query); install the equivalents of: $want" >&2
    missing=""
else
    missing=""
    for p in $want; do
        installed "$p" || missing="$missing $p"
    done
fi

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "deps.sh: installing$missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        # A fresh image has no package lists; try once as is, then update.
        if ! apt-get install -y -q --no-install-recommends $missing >&2 2>&1; then
            apt-get update -q >&2 || { echo "deps.sh: apt-get update failed" >&2; exit 1; }
            apt-get install -y -q --no-install-recommends $missing >&2 || {
                echo "deps.sh: apt-get install$missing failed" >&2; exit 1; }
        fi
    else
        echo "deps.sh: missing Debian packages:$missing" >&2
        echo "deps.sh: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
        exit 1
    fi
fi

if ! command -v pkg-config >/dev/null 2>&1; then
    echo "deps.sh: pkg-config is required" >&2
    exit 1
fi
# plplot's --cflags are left out: its folder holds an nn.h of its own, so
# the sources include <plplot/plplot.h> from the standard path instead.
mods="openblas $test_mods libcjson zlib libpng libseccomp"
cflags=$(pkg-config --cflags $mods) || { echo "deps.sh: pkg-config --cflags $mods failed" >&2; exit 1; }
echo "DEPS_CFLAGS := $cflags"
for pair in CORE:"openblas zlib libpng libcjson" TEST:"$test_mods" SANDBOX:libseccomp; do
    var=${pair%%:*}
    libs=""
    [ -z "${pair#*:}" ] || libs=$(pkg-config --libs ${pair#*:}) || { echo "deps.sh: pkg-config --libs ${pair#*:} failed" >&2; exit 1; }
    # Only the programs that draw need PLplot (and, through its drivers,
    # cairo and pango): --as-needed keeps it out of every other binary,
    # the grader's runners among them.
    if [ "$var" = CORE ]; then
        plot=$(pkg-config --libs plplot) || { echo "deps.sh: pkg-config --libs plplot failed" >&2; exit 1; }
        libs="$libs -Wl,--push-state,--as-needed $plot -Wl,--pop-state"
    fi
    echo "LIBS_$var := $libs"
done
