#!/usr/bin/env bash
# bench/admin: BenchmarkDotNet, what checking an admin API token adds to an admin request: the
# admin API's guard on one request without tokens (loopback) and with a bearer token among 1,000,
# and the token check alone. Any arguments pass through to BenchmarkDotNet, e.g.
#   bash bench/admin/run.sh --job short
# Writes bench/results/admin-YYYYMMDD-HHMMSS/ (see bench/benchmarkdotnet.sh).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../benchmarkdotnet.sh" admin Admin.Bench.csproj "$@"
