#!/usr/bin/env bash
# Runs the SmartContent benchmarks and, in the same run, the raw-LMDB reference program of
# shared/reference, so figures can be quoted as ratios on a noisy machine.
#   Benchmarks/run.sh            # all
#   Benchmarks/run.sh 'Durable.*' # a filter (regular expression on benchmark names)
set -euo pipefail
cd "$(dirname "$0")"
filter=${1:-.*}
reference=../../shared/reference/lmdb-limit/lmdb_bench.c
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [ -f "$reference" ]; then
    gcc -O2 -o "$scratch/lmdb_bench" "$reference" -llmdb
    echo "== raw LMDB (C) reference"
    "$scratch/lmdb_bench" "$scratch/batch" batch 1000000 1000 sync
    "$scratch/lmdb_bench" "$scratch/batch-index" batch 1000000 1000 sync -i
    "$scratch/lmdb_bench" "$scratch/batch" scan
    "$scratch/lmdb_bench" "$scratch/single" single 5 sync
fi
echo "== SmartContent"
swift package benchmark --target LogBenchmarks --filter "$filter"
