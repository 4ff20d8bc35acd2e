using Cutover.Core.Configuration;
using Cutover.Core.Tests.Grpc;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Tests.Configuration;

/// <summary>A migration of gRPC calls: <c>match.grpc</c>, <c>errors.grpcStatuses</c> and <c>compare.descriptorSet</c>, and what each mistake is told.</summary>
public sealed class GrpcConfigTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cutover-grpc-config-");

    [Theory]
    [InlineData("shop.v1.Orders", "/shop.v1.Orders/GetOrder", true)]
    [InlineData("shop.v1.Orders", "/shop.v1.Orders/ListOrders", true)]
    [InlineData("shop.v1.Orders", "/shop.v1.OrdersAdmin/GetOrder", false)]
    [InlineData("shop.v1.Orders/GetOrder", "/shop.v1.Orders/GetOrder", true)]
    [InlineData("shop.v1.Orders/GetOrder", "/shop.v1.Orders/ListOrders", false)]
    public void Load_MatchGrpc_MatchesTheServicesOrTheMethodsCalls(string grpc, string path, bool matches)
    {
        var orders = Load($"match: {{ grpc: {grpc} }}");

        Assert.Equal(matches, orders.Match.MatchesPath(path));
    }

    [Fact]
    public void Load_MatchGrpcWithPathPrefix_SaysToKeepOne()
    {
        var errors = Errors("match: { grpc: shop.v1.Orders, pathPrefix: /orders }");

        Assert.Equal("cutover.yaml:2: migration 'orders': match.grpc: is given with pathPrefix '/orders', but a gRPC service is its own path prefix; keep one of them", Assert.Single(errors));
    }

    [Fact]
    public void Load_SmokeStepWithGrpc_CallsThatMethodInsteadOfAGet()
    {
        var smoke = Assert.IsType<Cutover.Core.Rollout.SmokeStep>(Load("plan: { steps: [ { smoke: { requests: 5, grpc: grpc.health.v1.Health/Check } }, { weight: 100 } ] }").Plan!.Steps[0]);

        Assert.Equal(("grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Check", 5), (smoke.GrpcMethod, smoke.Path, smoke.Requests));
        Assert.Equal("smoke 5 x gRPC grpc.health.v1.Health/Check", smoke.Describe());
    }

    [Theory]
    [InlineData("/shop.v1.Orders")]
    [InlineData("shop.v1.Orders/Get/Order")]
    [InlineData("shop..Orders")]
    [InlineData("shop.v1.Orders/")]
    [InlineData("1shop.Orders")]
    public void Load_MatchGrpcNotAName_ShowsBothForms(string grpc)
    {
        var errors = Errors($"match: {{ grpc: \"{grpc}\" }}");

        Assert.Equal($"cutover.yaml:2: migration 'orders': match.grpc: '{grpc}' is not a gRPC service or method; write the service's full name (shop.v1.Orders) or one method of it (shop.v1.Orders/GetOrder)", Assert.Single(errors));
    }

    [Fact]
    public void Load_GrpcStatusesByNameAndNumber_CountThoseOnly()
    {
        var orders = Load("match: { grpc: shop.v1.Orders }\n    errors: { grpcStatuses: [unavailable, 13, NOT_FOUND] }");

        Assert.Equal([5, 13, 14], orders.Errors.GrpcStatuses);
        Assert.Equal(ErrorCause.GrpcStatus, orders.Errors.Classify(BackendOutcome.Answered, 200, 5));
        Assert.Equal(ErrorCause.None, orders.Errors.Classify(BackendOutcome.Answered, 200, 2));
    }

    [Fact]
    public void Load_NoGrpcStatuses_CountsTheServicesOwnFailures()
    {
        var orders = Load("match: { grpc: shop.v1.Orders }");

        Assert.Equal([2, 4, 8, 13, 14, 15], orders.Errors.GrpcStatuses);
        Assert.Equal(ErrorCause.None, orders.Errors.Classify(BackendOutcome.Answered, 200, 0));
        Assert.Equal(ErrorCause.None, orders.Errors.Classify(BackendOutcome.Answered, 200, 5));
        Assert.Equal(ErrorCause.GrpcStatus, orders.Errors.Classify(BackendOutcome.Answered, 200, 14));
    }

    [Fact]
    public void Load_UnknownGrpcStatus_ListsTheNames()
    {
        var errors = Errors("match: { grpc: shop.v1.Orders }\n    errors:\n      grpcStatuses:\n        - UNAVAILABLE\n        - BROKEN\n        - 17");

        Assert.Equal(
            [
                "cutover.yaml:9: migration 'orders': errors.grpcStatuses: 'BROKEN' is not a gRPC status; use a name (" + GrpcStatusCodes.List + ") or a number from 0 to 16",
                "cutover.yaml:10: migration 'orders': errors.grpcStatuses: '17' is not a gRPC status; use a name (" + GrpcStatusCodes.List + ") or a number from 0 to 16",
            ],
            errors);
    }

    [Fact]
    public void LoadFile_DescriptorSetNamedRelatively_IsReadFromTheConfigFilesFolder()
    {
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "protos"));
        File.WriteAllBytes(Path.Combine(_folder.FullName, "protos", "shop.pb"), ShopDescriptors.Bytes);
        var config = Write("match: { grpc: shop.v1.Orders }\n    compare: { descriptorSet: protos/shop.pb }");

        var orders = Assert.Single(ConfigLoader.LoadFile(config).Migrations);

        Assert.Equal(ShopDescriptors.Set.Digest, orders.Compare.Descriptors!.Digest);
        Assert.True(orders.Compare.Descriptors.Declares("/shop.v1.Orders/GetOrder"));
    }

    [Fact]
    public void LoadFile_MissingDescriptorSet_NamesTheFileAndHowToWriteIt()
    {
        var config = Write("compare: { descriptorSet: protos/missing.pb }");

        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(config)).Errors).ToString();

        Assert.StartsWith($"{config}:6: migration 'orders': compare.descriptorSet: 'protos/missing.pb' cannot be read ({Path.Combine(_folder.FullName, "protos", "missing.pb")}:", error);
        Assert.EndsWith("write it with protoc --descriptor_set_out=FILE --include_imports, and give its path relative to the config file", error);
    }

    [Fact]
    public void LoadFile_FileThatIsNoDescriptorSet_SaysSo()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "shop.proto"), "syntax = \"proto3\";\nmessage Order { string id = 1; }\n");
        var config = Write("compare: { descriptorSet: shop.proto }");

        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(config)).Errors).ToString();

        Assert.Contains("compare.descriptorSet: 'shop.proto' is not a protobuf descriptor set", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string extra)
    {
        var path = Path.Combine(_folder.FullName, "cutover.yaml");
        File.WriteAllText(path, WithMatch(extra));
        return path;
    }

    private static Cutover.Core.Routing.MigrationDefinition Load(string extra) =>
        Assert.Single(ConfigLoader.Load(WithMatch(extra), "cutover.yaml").Migrations);

    private static List<string> Errors(string extra) => OneMigrationFile.Errors(WithMatch(extra));

    /// <summary>The one-migration file with its match replaced when <paramref name="extra"/> gives one.</summary>
    private static string WithMatch(string extra)
    {
        var file = OneMigrationFile.With("    " + extra);
        return extra.StartsWith("match:", StringComparison.Ordinal) ? file.Replace("    match: { pathPrefix: /orders }\n", string.Empty, StringComparison.Ordinal) : file;
    }
}
