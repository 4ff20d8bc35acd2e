using Cutover.Core.Comparison;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Routing;

/// <summary>Models of a migration matching every path, for tests of routing decisions.</summary>
internal static class TestModels
{
    public static MigrationModel Model(string name, MigrationMode mode, double weight)
    {
        var definition = new MigrationDefinition(name, new MatchModel("/", null, [], []), new Uri("http://127.0.0.1:1"), new Uri("http://127.0.0.1:2"),
            MigrationMode.Legacy, Weight.Zero, StickyKeySource.Default, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), ShadowPolicy.Default, ResponseRules.Default);
        return new MigrationModel(definition, mode, Weight.FromPercent(weight), new MigrationCounters());
    }
}
