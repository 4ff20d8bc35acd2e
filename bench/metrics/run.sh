#!/usr/bin/env bash
# bench/metrics: BenchmarkDotNet, the cost of recording one request's metrics (SideCounters.Record:
# counts and the latency histogram), alone and with the in-flight count and clock reads, against one interlocked
# increment. Any arguments pass through to BenchmarkDotNet, e.g.
#   bash bench/metrics/run.sh --filter '*Record*'
# Writes bench/results/metrics-YYYYMMDD-HHMMSS/ (see bench/benchmarkdotnet.sh). About 2 minutes on 2 cores.
exec bash "$(dirname "${BASH_SOURCE[0]}")/../benchmarkdotnet.sh" metrics Metrics.Bench.csproj "$@"
