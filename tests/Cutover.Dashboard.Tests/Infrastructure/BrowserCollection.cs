namespace Cutover.Dashboard.Tests.Infrastructure;

/// <summary>The browser tests share one Chromium and run one at a time: the machine has two cores, and each test also runs a Cutover and backends.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Chromium";
}
