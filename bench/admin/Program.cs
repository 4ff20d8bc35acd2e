// BenchmarkDotNet entry point; bench/admin/run.sh builds Release and passes --artifacts and any
// further BenchmarkDotNet arguments (--filter, --job short, ...).
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Cutover.Bench.Admin;

var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkRunner.Run(typeof(GuardBenchmarks).Assembly, config, args);
