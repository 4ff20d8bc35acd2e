using Cutover.Core.Comparison;
using Cutover.Core.Tests.Grpc;
using Cutover.Kernel.Comparison;
using Cutover.Testing.Shop;
using Google.Protobuf;

namespace Cutover.Core.Tests.Comparison;

/// <summary>Two gRPC answers: compared on grpc-status, the chosen metadata and the message, decoded when a descriptor set is given.</summary>
public sealed class GrpcResponseComparerTests
{
    private static readonly ResponseRules Decoding = ResponseRules.Default with { Descriptors = ShopDescriptors.Set };

    [Fact]
    public void Compare_MessagesDifferingInOneField_NamesItsJsonPath()
    {
        var legacy = Answer(new Order { Id = "o-1", Total = 12.5 });
        var candidate = Answer(new Order { Id = "o-1", Total = 12.0 });

        var comparison = ResponseComparer.Compare(legacy, candidate, Decoding, ShopDescriptors.GetOrder);

        var difference = Assert.Single(comparison.Differences);
        Assert.Equal(new Difference("$.total", DifferenceKind.ValueChanged, "12.5", "12"), difference);
    }

    [Fact]
    public void Compare_SameMessageEncodedDifferently_IsEqual()
    {
        // The candidate writes total 0 explicitly: the same message in proto3, other bytes.
        var legacy = Answer(new Order { Id = "o-1" }.ToByteArray());
        var candidate = Answer([.. new Order { Id = "o-1" }.ToByteArray(), 0x11, 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.True(ResponseComparer.Compare(legacy, candidate, Decoding, ShopDescriptors.GetOrder).IsEqual);
        Assert.Equal("body", Assert.Single(ResponseComparer.Compare(legacy, candidate, ResponseRules.Default, ShopDescriptors.GetOrder).Differences).Path);
    }

    [Fact]
    public void Compare_WithoutDescriptorSet_ComparesTheBytes()
    {
        var legacy = Answer(new Order { Id = "o-1", Total = 12.5 });
        var candidate = Answer(new Order { Id = "o-1", Total = 12.0 });

        var difference = Assert.Single(ResponseComparer.Compare(legacy, candidate, ResponseRules.Default, ShopDescriptors.GetOrder).Differences);

        Assert.Equal("body", difference.Path);
        Assert.StartsWith("19 bytes, sha256 ", difference.Legacy, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_GrpcStatusFromTrailersAndTrailersOnlyHeaders_ComparedByName()
    {
        var legacy = Answer(new Order { Id = "o-1" });
        var candidate = new CapturedResponse(200, new Dictionary<string, string> { ["Content-Type"] = "application/grpc", ["grpc-status"] = "5" }, ReadOnlyMemory<byte>.Empty);

        var comparison = ResponseComparer.Compare(legacy, candidate, Decoding, ShopDescriptors.GetOrder);

        Assert.Equal(new Difference("grpc-status", DifferenceKind.ValueChanged, "OK", "NOT_FOUND"), comparison.Differences[0]);
    }

    [Fact]
    public void Compare_ChosenMetadataInTrailers_Compared()
    {
        var rules = Decoding with { Headers = ["x-region"] };
        var legacy = Answer(new Order(), trailer: "eu");
        var candidate = Answer(new Order(), trailer: "us");

        var difference = Assert.Single(ResponseComparer.Compare(legacy, candidate, rules, ShopDescriptors.GetOrder).Differences);

        Assert.Equal(new Difference("header:x-region", DifferenceKind.ValueChanged, "eu", "us"), difference);
    }

    private static CapturedResponse Answer(Order order, string trailer = "eu") => Answer(order.ToByteArray(), trailer);

    private static CapturedResponse Answer(byte[] message, string trailer = "eu")
    {
        var body = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)message.Length);
        message.CopyTo(body, 5);
        return new CapturedResponse(200, new Dictionary<string, string> { ["Content-Type"] = "application/grpc" }, body)
        {
            Trailers = new Dictionary<string, string> { ["grpc-status"] = "0", ["x-region"] = trailer },
        };
    }
}
