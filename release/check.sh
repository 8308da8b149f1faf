#!/bin/sh
# check.sh: tests the student release as a student meets it (`make
# release-check`). It unpacks the tarball into an empty folder outside the
# tree, proves that no answer is inside (no file of reference/,
# fixtures/golden/ or fixtures/hidden/ by path or by content, no golden
# value, no hidden seed, no reference function defined in any binary or
# object), builds it, grades the stubs, the reference's five files and a
# one-mistake file there, compares the last with the full grader's grade of
# the same files, makes submission.zip and trains briefly. As root it builds
# and grades as nobody, as a student would (not root). Not a unit test of
# the driver: tests/grader does that.
# Usage: release/check.sh VERSION REFDATA_DIR TARBALL TREE_VAEGRADE
#        (from the tree's root, after make student-release and make all)
set -eu
version=$1
refdata=$2
tarball=$3
tree_vaegrade=$4
name=vaegrade-student-cs236-hw2-$version
# The one-mistake file: vae.c with its KL doubled, graded beside the
# reference's other four files. A model file's mistake, so that the
# release (which links a model file with the student's own utils.c) and the
# full grader (which links the reference's) grade the same code.
mutant=tests/grader/mutants/vae_kl_doubled.patch

failures=0
fail() { echo "release-check: FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "release-check: ok: $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vaegrade-release-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# ---- the tarball: reproducible, one top folder ----------------------------
sh release/pack.sh "$version" "$refdata" "$work/again.tar.gz" > /dev/null
if cmp -s "$tarball" "$work/again.tar.gz"; then
    pass "packing twice gives the same bytes ($(sha256sum < "$tarball" | cut -c1-16))"
else
    fail "packing twice gave different tarballs: not reproducible"
fi
rm -f "$work/again.tar.gz"
tops=$(tar tzf "$tarball" | cut -d/ -f1 | sort -u)
[ "$tops" = "$name" ] || fail "the tarball's top folders are '$tops', not $name"
for p in submission/utils.c submission/vae.c submission/gmvae.c submission/ssvae.c \
         submission/fsvae.c Makefile README.md VERSION include/assignment.h \
         grader/profiles/default.json fixtures/thresholds.json tools/deps.sh refdata; do
    tar tzf "$tarball" | grep -qx "$name/$p/\{0,1\}" || fail "the tarball lacks $p"
done
tar xzf "$tarball" -C "$work"
rel=$work/$name

# ---- absence of answers ----------------------------------------------------
secrets=$(git ls-files reference fixtures/golden fixtures/hidden)
[ -n "$secrets" ] || fail "git lists no file of reference/: run from the tree's root"
# By path: none of those folders exists in the release.
for d in reference fixtures/golden fixtures/hidden; do
    [ ! -e "$rel/$d" ] || fail "the release holds $d/"
done
# By content: no shipped file has the bytes of a secret file.
echo "$secrets" | xargs sha256sum | cut -d' ' -f1 | sort -u > "$work/secret.sha"
(cd "$rel" && find . -type f -exec sha256sum {} +) | sort > "$work/shipped.sha"
hits=$(cut -d' ' -f1 "$work/shipped.sha" | sort -u | comm -12 - "$work/secret.sha")
if [ -n "$hits" ]; then
    fail "shipped files with a secret file's content: $(grep -F "$hits" "$work/shipped.sha" | cut -c67- | tr '\n' ' ')"
else
    pass "no file of reference/, fixtures/golden/, fixtures/hidden/ by path or content ($(echo "$secrets" | wc -l) files, $(wc -l < "$work/shipped.sha") shipped)"
fi
# Golden values: every value of fixtures/golden/reference.json with 10 or
# more significant digits (fewer could be a coincidence), as text (its first
# 10 significant digits) and as a float64's bytes, in any shipped file.
golden_scan() {
    perl -e '
    local $/; open my $g, "<", shift or die; my $j = <$g>;
    my %n;
    for my $x ($j =~ /(-?\d+\.\d+(?:[eE][-+]?\d+)?)/g) {
        (my $m = $x) =~ s/[eE].*//;
        my ($cut, $sig) = ("", 0);
        for my $c (split //, $m) {
            $cut .= $c;
            $sig++ if $c =~ /[1-9]/ || ($c eq "0" && $sig);
            last if $sig == 10;
        }
        next if $sig < 10;
        $n{$cut} = 1;
        $n{pack("d<", $x)} = 1;
    }
    my $re = join "|", map { quotemeta } sort keys %n; $re = qr/$re/;
    my $hits = 0;
    for my $f (@ARGV) {
        open my $h, "<:raw", $f or die "$f: $!"; my $d = <$h>;
        if (defined $d && $d =~ $re) { print "golden value in $f\n"; $hits++ }
    }
    printf STDERR "%d golden needles\n", scalar keys %n;
    exit($hits ? 1 : 0);
    ' fixtures/golden/reference.json "$@" > "$work/golden.out" 2> "$work/golden.err"
}
# The control: the scan finds the golden file itself.
golden_scan fixtures/golden/reference.json && fail "the golden scan does not find the golden file"
if golden_scan $(find "$rel" -type f); then
    pass "no golden value in any shipped file ($(cat "$work/golden.err"), as text and as float64)"
else
    fail "$(cat "$work/golden.out" "$work/golden.err" | head -5)"
fi
# Hidden seeds: no number fixtures/hidden/profile.json keeps under a "seed"
# key (the hidden checks' seeds, and the seed they were drawn from) is in a
# shipped file, as a decimal string. They are 2^20 or more, so a match is
# no coincidence.
if [ -f fixtures/hidden/profile.json ]; then
    jq '[paths(numbers) as $p | select($p | map(tostring) | join(".") | test("seed")) | getpath($p)] | unique | .[]' \
        fixtures/hidden/profile.json > "$work/hidden.seeds"
    if [ ! -s "$work/hidden.seeds" ] || ! grep -q -F -f "$work/hidden.seeds" fixtures/hidden/profile.json; then
        fail "found no seed in fixtures/hidden/profile.json, or not as it writes them"
    elif hits=$(find "$rel" -type f -exec grep -a -l -F -f "$work/hidden.seeds" {} +); then
        fail "hidden seeds in: $hits"
    else
        pass "no hidden seed in any shipped file ($(wc -l < "$work/hidden.seeds") seeds)"
    fi
else
    echo "release-check: note: no fixtures/hidden/profile.json, no hidden seed to look for"
fi

# No reference function defined in an ELF file or archive: every API
# function of assignment.h, and every global the reference's objects define.
# Weak definitions are allowed in weak_api.o only (the not-implemented stubs).
api=$(sed -nE 's/^(void|double)[ *]+([a-z_0-9]+)\(.*/\2/p' include/assignment.h)
[ "$(echo "$api" | wc -l)" -ge 16 ] || fail "found only $(echo "$api" | wc -l) API functions in include/assignment.h"
ref_globals=$(for o in build/rel/obj/reference/*.o; do nm --defined-only -g "$o"; done 2>/dev/null | awk '{ print $3 }')
printf '%s\n' $api $ref_globals | sort -u > "$work/forbidden"
scan_symbols() {
    found=0
    count=0
    for f in $(find "$1" -type f); do
        magic=$(od -An -N8 -c "$f" | tr -d ' \n')
        case $magic in
            177ELF*|'!<arch>\n') ;;
            *) continue ;;
        esac
        count=$((count + 1))
        { nm --defined-only -A "$f" 2>/dev/null; nm -D --defined-only -A "$f" 2>/dev/null; } |
            awk -v f="$f" 'NR == FNR { bad[$1] = 1; next }
                 bad[$NF] { weak = $(NF-1) ~ /^[WwVv]$/
                            if (!(weak && f ~ /weak_api\.o$/)) print f ": defines " $NF " (" $(NF-1) ")" }' \
                "$work/forbidden" - > "$work/symbols.out"
        if [ -s "$work/symbols.out" ]; then
            cat "$work/symbols.out"
            found=1
        fi
    done
    echo "$count ELF files and archives in $2"
    return $found
}
# The control: the scan finds the reference's own objects.
scan_symbols build/rel/obj/reference "the reference" > "$work/scan.out" &&
    fail "the symbol scan finds nothing in build/rel/obj/reference"
if scan_symbols "$rel" "the tarball" > "$work/scan.out"; then
    pass "no reference symbol defined: $(tail -1 "$work/scan.out") ($(wc -l < "$work/forbidden") names)"
else
    fail "reference symbols in the tarball: $(head -5 "$work/scan.out")"
fi

# ---- build and grade as a student ------------------------------------------
# As root, everything in the release runs as nobody, in a folder it owns.
if [ "$(id -u)" -eq 0 ] && command -v runuser > /dev/null; then
    chown -R nobody:nogroup "$work"
    # From $work: the caller's directory (a CI clone inside a 0700 mktemp
    # folder) may be closed to nobody, and make returns to where it started.
    as_student() { (cd "$work" && runuser -u nobody -- env HOME="$work" "$@"); }
    who="as nobody"
else
    as_student() { "$@"; }
    who="as $(id -un)"
    [ "$(id -u)" -ne 0 ] || who="$who (no runuser)"
fi
t=$(now)
as_student make -C "$rel" -j2 > "$work/build.log" 2>&1 || { tail -20 "$work/build.log"; fail "the release does not build $who"; exit 1; }
pass "built $who in $(since "$t") s (cold: every object)"
if scan_symbols "$rel" "the built release" > "$work/scan.out"; then
    pass "no reference symbol defined after the build: $(tail -1 "$work/scan.out")"
else
    fail "reference symbols in the built release: $(head -5 "$work/scan.out")"
fi

# The CPU seconds of every process this shell has waited for (and theirs):
# on a busy machine the wall time measures the load, the CPU time the grade.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($16 + $17) / hz }' /proc/$$/stat; }
# grade LABEL: grades the release's submission/ into $work/LABEL.json;
# secs and cpus: its wall and CPU seconds.
grade() {
    t=$(now)
    c=$(cpu)
    as_student make -C "$rel" --no-print-directory grade RESULTS="$work/$1.json" > "$work/$1.txt" 2>&1 ||
        { tail -20 "$work/$1.txt"; fail "make grade ($1) failed"; }
    secs=$(since "$t")
    cpus=$(awk -v a="$c" -v b="$(cpu)" 'BEGIN { printf "%.1f", b - a }')
}
# visible FILE: "id score max outcome", one line per visible check.
visible() {
    jq -r '.tests[] | select(.visibility == "visible") |
           "\(.extra_data.id) \(.score) \(.max_score) \(.extra_data.outcome)"' "$1"
}
put() {
    cp "$@" "$rel/submission/"
    [ "$(id -u)" -ne 0 ] || chown -R nobody:nogroup "$rel/submission"
}

grade stub
bad=$(visible "$work/stub.json" | awk '$2 != 0 || $4 != "not_implemented"')
n=$(visible "$work/stub.json" | wc -l)
[ "$n" -gt 0 ] && [ -z "$bad" ] && pass "stubs: $n visible checks, all 0 and not implemented ($secs s)" ||
    fail "stubs: not all 0 and not implemented: $(echo "$bad" | head -3)"

put reference/utils.c reference/vae.c reference/gmvae.c reference/ssvae.c reference/fsvae.c
as_student make -C "$rel" --no-print-directory grade ONLY=1.4 RESULTS="$work/only.json" > "$work/only.txt" 2>&1 ||
    fail "make grade ONLY=1.4 failed: $(tail -3 "$work/only.txt")"
only=$(jq -r '[.tests[].extra_data.id] | join(" ")' "$work/only.json" 2>/dev/null)
[ "$only" = "1.4-kl-normal-values" ] && pass "make grade ONLY=1.4 grades 1.4-kl-normal-values alone" ||
    fail "make grade ONLY=1.4 graded: $only"
grade ref-cold
cold="$secs s ($cpus s of CPU)"
grade ref
bad=$(visible "$work/ref.json" | awk '$2 < $3')
n=$(visible "$work/ref.json" | wc -l)
[ "$n" -gt 0 ] && [ -z "$bad" ] && pass "the reference's files: full marks on all $n visible checks" ||
    fail "the reference's files lose points: $(echo "$bad" | head -5)"
grep -q '^Total' "$work/ref.txt" && echo "release-check: $(grep '^Total' "$work/ref.txt")"
echo "release-check: timing: grade of the reference's files: cold (the first in a fresh unpack) $cold," \
     "warm $secs s ($cpus s of CPU), load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v s="$secs" 'BEGIN { exit !(s > 30) }' &&
    echo "release-check: WARNING: the warm grade took over 30 s, the target on an idle 2-core machine" \
         "(on a busy one CPU time / 2 is the figure to compare; budgets are CPU time, so load slows, never fails)"

# The one-mistake file, graded here and by the full grader.
patch -s --fuzz=0 -o "$work/vae.c" reference/vae.c "$mutant"
put "$work/vae.c"
grade mutant
mkdir -p "$work/full-sub"
cp "$rel"/submission/*.c "$work/full-sub/"
"$tree_vaegrade" grade "$work/full-sub" --json "$work/full.json" > "$work/full.txt" 2>&1 ||
    { tail -5 "$work/full.txt"; fail "the full grader failed on the one-mistake submission"; }
visible "$work/mutant.json" | awk '{ print $1, $2, $4 }' > "$work/mutant.cmp"
visible "$work/full.json" | awk '{ print $1, $2, $4 }' > "$work/full.cmp"
lost=$(awk '$2 == 0 || $3 != "passed"' "$work/full.cmp" | wc -l)
if [ "$lost" -eq 0 ]; then
    fail "the full grader took no point from $(basename "$mutant" .patch): not a one-mistake file"
elif diff -u "$work/full.cmp" "$work/mutant.cmp" > "$work/cmp.diff"; then
    pass "one mistake ($(basename "$mutant" .patch)): the release and the full grader agree on all $(wc -l < "$work/full.cmp") visible checks ($lost lost)"
else
    fail "one mistake: the release and the full grader differ: $(grep '^[-+][0-9]' "$work/cmp.diff" | head -6)"
fi

# ---- submission.zip and a short training run --------------------------------
as_student make -C "$rel" --no-print-directory submission > "$work/zip.txt" 2>&1 ||
    { cat "$work/zip.txt"; fail "make submission failed"; }
listing=$(unzip -Z1 "$rel/submission.zip" 2>/dev/null | sort | tr '\n' ' ')
[ "$listing" = "fsvae.c gmvae.c ssvae.c utils.c vae.c vaegrade-release " ] &&
    pass "submission.zip holds the five files and the stamp at its root" ||
    fail "submission.zip holds: $listing"
unzip -p "$rel/submission.zip" vae.c | cmp -s - "$work/vae.c" || fail "submission.zip's vae.c is not submission/vae.c"
unzip -p "$rel/submission.zip" vaegrade-release | grep -q "^version $version\$" ||
    fail "the stamp does not say version $version: $(unzip -p "$rel/submission.zip" vaegrade-release | head -2)"
t=$(now)
as_student make -C "$rel" --no-print-directory train MODEL=vae ITERS=200 OUT="$work/run" > "$work/train.txt" 2>&1 ||
    { tail -5 "$work/train.txt"; fail "make train failed"; }
if [ -s "$work/run/summary.json" ] && ls "$work/run/"*.png > /dev/null 2>&1 && grep -q NELBO "$work/train.txt"; then
    pass "make train MODEL=vae ITERS=200: NELBO printed, summary.json and a PNG written ($(since "$t") s)"
else
    fail "make train wrote no summary.json or PNG: $(tail -3 "$work/train.txt")"
fi

if [ "$failures" -ne 0 ]; then
    echo "release-check: $failures FAILED (work kept in $work)"
    trap - EXIT
    exit 1
fi
echo "release-check: passed"
