#!/bin/sh
# image-setup.sh SRC: turns SRC, a copy of the project's tree, into a
# grading image's: the Debian packages (tools/deps.sh, after make and a C
# compiler), one build, the reference graded once with the public and once
# with the hidden checks so that runner-ref's cache and the timing
# calibrations start warm, then the tree made root's alone. The one set of
# steps behind the Dockerfile, Gradescope's setup.sh and `make
# container-check`. Needs root and, for apt-get, the network.
set -eu
src=${1:?usage: image-setup.sh SRC}
cd "$src"
if [ "$(id -u)" -ne 0 ]; then
    echo "image-setup.sh: needs root (apt-get, and a tree only root may read)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# make and gcc are all deps.sh assumes; a bare image has no package lists.
if ! command -v make >/dev/null || ! command -v gcc >/dev/null; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends make gcc libc6-dev
fi
sh tools/deps.sh > /dev/null
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" all
echo "image-setup.sh: warming the caches: the reference, public checks"
make --no-print-directory grade-reference RESULTS=build/warm-public.json
echo "image-setup.sh: warming the caches: the reference, hidden checks"
build/rel/bin/vaegrade grade reference --hidden --json build/warm-hidden.json
# The reference, the fixtures (hidden ones included), the thresholds and
# runner-ref's cache: root's alone. The compile jail and the runners'
# children run as nobody and find nothing here.
chown -R root:root "$src"
chmod -R go-rwx "$src"
echo "image-setup.sh: $src built, warm, readable by root only"
