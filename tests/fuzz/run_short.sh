#!/bin/sh
# Runs one fuzz target for a fixed number of inputs over its seed corpus and
# its regression inputs, for ctest. New inputs go to a scratch directory
# made for the run and removed after it, so that every run starts alike and
# the repository's corpus is only read.
#
# usage: run_short.sh TARGET RUNS SEED_DIR...
set -eu
target=$1
runs=$2
shift 2

scratch=$(mktemp -d "${TMPDIR:-/tmp}/credvault-fuzz-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

"$target" -runs="$runs" -max_len=8192 -timeout=25 -print_final_stats=1 \
  -artifact_prefix="$scratch/" "$scratch" "$@" || {
  status=$?
  # Keep what crashed where the person reading the log can find it.
  for f in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* \
      "$scratch"/oom-*; do
    [ -e "$f" ] && cp "$f" "$(dirname "$target")/" &&
      echo "run_short.sh: saved $(dirname "$target")/$(basename "$f")" >&2
  done
  exit "$status"
}
