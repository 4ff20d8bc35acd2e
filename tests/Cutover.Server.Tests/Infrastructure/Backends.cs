namespace Cutover.Server.Tests.Infrastructure;

/// <summary>A legacy and a candidate backend, started together, plus the YAML of a migration over them.</summary>
public sealed class Backends : IAsyncDisposable
{
    private Backends(TestBackend legacy, TestBackend candidate)
    {
        Legacy = legacy;
        Candidate = candidate;
    }

    public TestBackend Legacy { get; }

    public TestBackend Candidate { get; }

    public static async Task<Backends> StartAsync() =>
        new(await TestBackend.StartAsync("legacy"), await TestBackend.StartAsync("candidate"));

    /// <summary>One item of the migrations list, indented for <see cref="ProxyUnderTest"/>; a null mode or weight is left out of it.</summary>
    public string Migration(string name = "orders", string prefix = "/", string? mode = "legacy", double? weight = 0, string? extra = null) => $"""
          - name: {name}
            match: {"{"} pathPrefix: {prefix} {"}"}
            legacy: {Legacy.Url}
            candidate: {Candidate.Url}
        {(mode is null ? string.Empty : "    mode: " + mode)}
        {(weight is null ? string.Empty : "    weight: " + weight.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}
            stickyBy: header:X-User-Id
        {(extra is null ? string.Empty : "    " + extra)}
        """;

    public async ValueTask DisposeAsync()
    {
        await Legacy.DisposeAsync();
        await Candidate.DisposeAsync();
    }
}
