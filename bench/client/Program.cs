// BenchmarkDotNet entry point; bench/client/run.sh builds Release and passes --artifacts and any
// further BenchmarkDotNet arguments (--filter, --job short, ...).
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Cutover.Bench.Client;

var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkRunner.Run(typeof(DecisionBenchmarks).Assembly, config, args);
