#!/usr/bin/env bash
# Prints every metrics.csv of one course experiment (its run, or each run of its sweep) in path
# order, each after a "== <path>" line: the text that tests/golden/course/<name>.metrics holds.
# CTest compares the two for every file in experiments/course/ (course.<name>.golden_metrics).
# Regenerate the golden files only on purpose, saying in the commit why and by how much they moved:
#   for f in experiments/course/*.yaml; do
#     tests/golden/course_metrics.sh build/gradlab "$f" > "tests/golden/course/$(basename "$f" .yaml).metrics"
#   done
set -euo pipefail
gradlab=$(realpath "$1") file=$(realpath "$2")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
verb=run
grep -q '^sweep:' "$file" && verb=sweep
# NB: exit 3 (a run that diverged) is what the exploding lesson shows; its metrics count too.
"$gradlab" "$verb" "$file" --out "$out/run" --no-plots > /dev/null 2>&1 || [ $? = 3 ]
cd "$out/run"
find . -name metrics.csv | LC_ALL=C sort | while read -r f; do
  echo "== $f"
  cat "$f"
done
