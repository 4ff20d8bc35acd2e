// BenchmarkDotNet entry point; bench/comparison/run.sh builds Release and passes --artifacts and
// any further BenchmarkDotNet arguments (--filter, --list flat, ...).
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Cutover.Bench.Comparison;

// Without --artifacts the results stay under bin/, which git ignores.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkRunner.Run(typeof(ComparisonBenchmarks).Assembly, config, args);
