#!/bin/sh
# make-autograder.sh OUT.zip: Gradescope's autograder zip for instructors:
# setup.sh and run_autograder (docker/gradescope/) at its root, beside the
# project's whole source tree (reference/ and fixtures/hidden/ included:
# never give this zip to students). The tree is git's files (tracked, and
# new ones not ignored) when this is a clone, else everything but build/.
set -eu
out=${1:?usage: make-autograder.sh OUT.zip}
# zip through deps.sh: installed as root, else the apt-get line to run.
command -v zip >/dev/null || sh tools/deps.sh zip > /dev/null || exit 1
stage=$out.stage
rm -rf "$stage" "$out.tmp"
mkdir -p "$stage"
list() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard
    else
        find . -path ./build -prune -o -type f -print | sed 's|^\./||'
    fi
}
list | while IFS= read -r f; do
    # A file deleted but not yet committed is still in git's index.
    if [ -f "$f" ]; then cp --parents -p "$f" "$stage/"; fi
done
cp -p docker/gradescope/setup.sh docker/gradescope/run_autograder "$stage/"
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$stage" && zip -q -r -X "$abs_out.tmp" .)
mv "$abs_out.tmp" "$abs_out"
rm -rf "$stage"
echo "make-autograder.sh: $out ($(du -h "$out" | cut -f1)): setup.sh and run_autograder at its root; for instructors only (it holds the reference and the hidden data)"
