// BenchmarkDotNet entry point; bench/metrics/run.sh builds Release and passes --artifacts and any
// further BenchmarkDotNet arguments (--filter, --list flat, ...).
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Cutover.Bench.Metrics;

var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkRunner.Run(typeof(RecordBenchmarks).Assembly, config, args);
