#!/usr/bin/env bash
# bench/client: BenchmarkDotNet, the in-process SDK's routing decision (ICutoverClient.IsCandidate)
# against Microsoft.FeatureManagement's percentage and targeting filters, and the overhead of
# RunAsync/Run in legacy mode over calling legacy directly. Any arguments pass through to
# BenchmarkDotNet, e.g.
#   bash bench/client/run.sh --filter '*Decision*' --job short
# Writes bench/results/client-YYYYMMDD-HHMMSS/ (see bench/benchmarkdotnet.sh).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../benchmarkdotnet.sh" client Client.Bench.csproj "$@"
