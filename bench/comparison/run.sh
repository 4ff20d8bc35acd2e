#!/usr/bin/env bash
# bench/comparison: BenchmarkDotNet, Cutover's response comparison against JsonDiffPatch.Net on the
# same JSON pairs: one order (~2 KB) and a page of orders (~200 KB), each identical or differing in
# six places. Every benchmark starts from the two bodies' UTF-8 bytes, so parsing is counted.
#
# Builds Release, then runs BenchmarkDotNet; any arguments pass through to it, e.g.
#   bash bench/comparison/run.sh --filter '*Cutover*'
#   bash bench/comparison/run.sh --list flat
# Two classes run: ComparisonBenchmarks (parse + compare, JsonDiffPatch.Net the baseline) and
# ParseBenchmarks (the two parsers alone, for where the time goes).
# Writes to bench/results/comparison-YYYYMMDD-HHMMSS/ (git-ignored): command.txt (the command and
# commit), build.log, BenchmarkDotNet's log, results/*-report-github.md per class (the tables
# docs/benchmarks.md copies; also printed at the end) and cpu.txt (how much CPU other processes
# used during the run; above 5% the script warns). About 3.5 minutes on 2 cores for the whole set.
exec bash "$(dirname "${BASH_SOURCE[0]}")/../benchmarkdotnet.sh" comparison Comparison.Bench.csproj "$@"
