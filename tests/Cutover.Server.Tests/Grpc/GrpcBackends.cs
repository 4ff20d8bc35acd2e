namespace Cutover.Server.Tests.Grpc;

/// <summary>A legacy and a candidate gRPC service, started together, plus the YAML of a migration of their service over h2c.</summary>
public sealed class GrpcBackends : IAsyncDisposable
{
    private GrpcBackends(GrpcBackend legacy, GrpcBackend candidate)
    {
        Legacy = legacy;
        Candidate = candidate;
    }

    public GrpcBackend Legacy { get; }

    public GrpcBackend Candidate { get; }

    /// <summary>The descriptor set protoc wrote for the test service at build, beside the tests.</summary>
    public static string DescriptorSetFile => Path.Combine(AppContext.BaseDirectory, "shop.pb");

    public static async Task<GrpcBackends> StartAsync() =>
        new(await GrpcBackend.StartAsync("legacy"), await GrpcBackend.StartAsync("candidate"));

    /// <summary>One item of the migrations list, indented for the proxy under test, sticky by the x-user-id metadata key.</summary>
    public string Migration(string mode = "legacy", double weight = 0, string match = "shop.v1.Orders", string? extra = null) => $"""
          - name: orders
            match: {"{"} grpc: {match} {"}"}
            legacy: {"{"} url: "{Legacy.Url}", protocol: h2c {"}"}
            candidate: {"{"} url: "{Candidate.Url}", protocol: h2c {"}"}
            mode: {mode}
            weight: {weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            stickyBy: header:x-user-id
        {(extra is null ? string.Empty : extra)}
        """;

    public async ValueTask DisposeAsync()
    {
        await Legacy.DisposeAsync();
        await Candidate.DisposeAsync();
    }
}
