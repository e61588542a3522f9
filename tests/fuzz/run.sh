#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs every libFuzzer target for a bounded time on its seed corpus.
# Usage: tests/fuzz/run.sh BUILDDIR [SECONDS]   (default 20 s per target)
# Exits non-zero if any target finds a crash; crash inputs are left in
# BUILDDIR/fuzz-artifacts/ to be turned into unit-test regression cases.
set -eu
build=$1
secs=${2:-20}
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build/fuzz-artifacts"
status=0
for bin in "$build"/tests/fuzz/fuzz-*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin" | sed 's/^fuzz-//')
	work="$build/fuzz-corpus/$name"
	mkdir -p "$work"
	echo "fuzz $name: ${secs}s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -max_len=4096 -artifact_prefix="$build/fuzz-artifacts/$name-" \
	    -print_final_stats=1 "$work" "$src/corpus/$name" \
	    >"$build/fuzz-$name.log" 2>&1; then
		echo "fuzz $name: FAILED (see $build/fuzz-$name.log)"
		tail -n 30 "$build/fuzz-$name.log"
		status=1
	fi
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|cov:' \
	    "$build/fuzz-$name.log" | tail -n 3
done
exit $status
