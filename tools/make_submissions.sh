#!/bin/sh
# make_submissions.sh: lays out the grader suite's sample submissions in OUT:
# the whole ones of tests/grader/submissions/ as they are, the stub's
# utils.c as not_implemented, and each buggy
# one made from tests/grader/mutants/NAME.patch applied to the file its
# `---` line names (the reference's, or correct/utils.c), and the timing
# submissions wrapped around the reference (tests/grader/wrapped/). A mutant is one
# mistake in an otherwise correct file, so it follows its base when the base
# changes, and a patch that no longer applies stops the build.
# Usage: make_submissions.sh OUT
set -eu
out=$1
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
cp -R tests/grader/submissions/. "$out.tmp/"
# not_implemented is the students' own stub, so the suite grades what they
# start from rather than a copy of it.
mkdir -p "$out.tmp/not_implemented"
cp student_stub/utils.c "$out.tmp/not_implemented/utils.c"
# zeros: the whole submission that computes nothing (every function
# returns 0), joined from its utils and models halves; it must score 0.
mkdir -p "$out.tmp/zeros"
cp tests/grader/submissions/zeros_utils/utils.c tests/grader/submissions/zeros_models/*.c \
    "$out.tmp/zeros/"
for p in tests/grader/mutants/*.patch; do
    name=$(basename "$p" .patch)
    base=$(sed -n '1s/^--- \([^	]*\).*/\1/p' "$p")
    file=$(sed -n '2s/^+++ \([^	]*\).*/\1/p' "$p")
    if [ -z "$base" ] || [ -z "$file" ] || [ ! -f "$base" ]; then
        echo "make_submissions.sh: $p: no base file named on its first line" >&2
        exit 1
    fi
    mkdir -p "$out.tmp/$name"
    if ! patch -s --fuzz=0 -o "$out.tmp/$name/$file" "$base" "$p"; then
        echo "make_submissions.sh: mutant $name no longer applies to $base; remake $p with diff -u --label $base --label $file" >&2
        exit 1
    fi
    # An sta414-a3, cse599i-hw2 or stats305c-hw6 mutant (s414_*, cse_*,
    # s305_*) is a whole submission, its base's other files beside the
    # mutated one, so that it loses exactly its own part.
    case "$name" in s414_*|cse_*|s305_*)
        for sib in "$(dirname "$base")"/*.c; do
            [ -f "$out.tmp/$name/$(basename "$sib")" ] || cp "$sib" "$out.tmp/$name/"
        done;;
    esac
done
# The timing submissions: every API function of the reference wrapped
# (tests/grader/wrapped/common.inc says how): slow10x, correct and 10x
# slower on every call; loop_all, every function loops forever; loud,
# correct and printing 200 lines to each stream on every call.
for kind in slow10x:9:0 loop_all:-1:0 loud:0:200; do
    name=${kind%%:*}
    rest=${kind#*:}
    mkdir -p "$out.tmp/$name"
    for f in utils vae gmvae ssvae fsvae; do
        { printf '#define SPIN_FACTOR %s\n#define LOUD_LINES %s\n' "${rest%%:*}" "${rest#*:}"
          cat tests/grader/wrapped/common.inc "tests/grader/wrapped/$f.head" \
              "reference/$f.c" "tests/grader/wrapped/$f.tail"; } > "$out.tmp/$name/$f.c"
    done
done
rm -rf "$out"
mv "$out.tmp" "$out"
