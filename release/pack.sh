#!/bin/sh
# pack.sh: lays out the student release of this tree in a staging folder and
# packs it into one reproducible tarball: the same tree and reference data
# give the same bytes (names sorted, one mtime, owner 0, no gzip timestamp).
# It ships only what release/files.txt lists (files git tracks there), the
# stubs as submission/, the reference data as refdata/, VERSION, and the
# students' Makefile and README.md; release/check.sh proves what it lacks.
# Usage: release/pack.sh VERSION REFDATA_DIR OUT.tar.gz   (from the tree's root)
set -eu
version=$1
refdata=$2
out=$3
name=vaegrade-student-cs236-hw2-$version
if [ -z "$(ls -A "$refdata" 2>/dev/null)" ]; then
    echo "pack.sh: $refdata is empty or missing: make release-data first" >&2
    exit 1
fi
stage=$(dirname "$out")/stage
top=$stage/$name
rm -rf "$stage"
mkdir -p "$top"

# Tracked files only: a scratch file left in a listed folder never ships.
paths=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' release/files.txt)
# shellcheck disable=SC2086 # one path a word, by design
git ls-files -z -- $paths | xargs -0 cp --parents -t "$top"

mkdir -p "$top/submission"
cp student_stub/utils.c student_stub/vae.c student_stub/gmvae.c \
   student_stub/ssvae.c student_stub/fsvae.c "$top/submission/"
cp -R "$refdata" "$top/refdata"
cp release/Makefile release/README.md "$top/"
printf '%s\n' "$version" > "$top/VERSION"

# One mtime for every entry: the last commit's, so a rebuild of the same
# commit is byte-identical (SOURCE_DATE_EPOCH overrides it, as usual).
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
mkdir -p "$(dirname "$out")"
tar --format=gnu --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    --mode='u+rwX,go+rX,go-w' -C "$stage" -cf - "$name" | gzip -n -9 > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
echo "$out"
