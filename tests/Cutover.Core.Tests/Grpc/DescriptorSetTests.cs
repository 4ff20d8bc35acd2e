using System.Text;
using System.Text.Json;
using Cutover.Core.Grpc;
using Cutover.Kernel.Comparison;
using Cutover.Testing.Shop;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Enum = System.Enum;

namespace Cutover.Core.Tests.Grpc;

/// <summary>
/// The descriptor-driven decoder against Google.Protobuf's own JSON of generated messages: any
/// message, decoded from its bytes with only the descriptor set, is the JSON the formatter writes.
/// </summary>
public sealed class DescriptorSetTests
{
    [Fact]
    public void DecodeResponse_RandomOrders_EqualsJsonFormatterOutput()
    {
        for (var seed = 0; seed < 400; seed++)
        {
            var order = RandomOrder(new Random(seed), depth: 0);
            var decoded = ShopDescriptors.Set.DecodeResponse(ShopDescriptors.GetOrder, order.ToByteArray());
            var expected = JsonFormatter.Default.Format(order);

            using var left = JsonDocument.Parse(expected);
            using var right = JsonDocument.Parse(decoded!);
            var comparison = JsonComparer.Compare(left.RootElement, right.RootElement, ComparisonRules.Exact);
            Assert.True(comparison.IsEqual,
                $"seed {seed}: {string.Join("; ", comparison.Differences.Select(d => $"{d.Path} {d.Kind} {d.Legacy} -> {d.Candidate}"))}\nexpected {expected}\ndecoded  {Encoding.UTF8.GetString(decoded!)}");
        }
    }

    [Fact]
    public void DecodeResponse_OrderWithTotal_NamesFieldsByJsonNameAndInt64AsString()
    {
        var order = new Order { Id = "o-7", Total = 12.5, PlacedMicros = 1_700_000_000_000_000, Status = Status.Shipped, Lines = { new Line { Sku = "a", Quantity = 2 } } };

        var json = Encoding.UTF8.GetString(ShopDescriptors.Set.DecodeResponse(ShopDescriptors.GetOrder, order.ToByteArray())!);

        Assert.Equal("""{"id":"o-7","total":12.5,"placedMicros":"1700000000000000","status":"STATUS_SHIPPED","lines":[{"sku":"a","quantity":2}]}""", json);
    }

    [Fact]
    public void DecodeResponse_FieldTheDescriptorDoesNotDeclare_KeptUnderItsNumber()
    {
        // Field 99 as a varint (42), field 100 as two bytes.
        var bytes = new Order { Id = "x" }.ToByteArray().Concat(new byte[] { 0x98, 0x06, 0x2A, 0xA2, 0x06, 2, 0xFF, 0x00 }).ToArray();

        var json = Encoding.UTF8.GetString(ShopDescriptors.Set.DecodeResponse(ShopDescriptors.GetOrder, bytes)!);

        Assert.Equal("""{"id":"x","99":42,"100":"/wA="}""", json);
    }

    [Fact]
    public void DecodeResponse_FieldWithTheWrongWireType_KeptUnderItsNumberNotMisread()
    {
        // Field 2 (total, a double) sent as a varint, as a changed proto would.
        var json = Encoding.UTF8.GetString(ShopDescriptors.Set.DecodeResponse(ShopDescriptors.GetOrder, [2 << 3 | 0, 5])!);

        Assert.Equal("""{"2":5}""", json);
    }

    [Theory]
    [InlineData(new byte[] { 10, 5, 1, 2 }, "past the end")]
    [InlineData(new byte[] { 16, 0x80 }, "ends inside a number")]
    [InlineData(new byte[] { 0, 1 }, "field numbered 0")]
    [InlineData(new byte[] { 11 }, "group")]
    public void DecodeResponse_MalformedMessage_ThrowsSayingWhy(byte[] bytes, string why)
    {
        var problem = Assert.Throws<ProtobufFormatException>(() => ShopDescriptors.Set.DecodeResponse(ShopDescriptors.GetOrder, bytes));

        Assert.Contains(why, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeResponse_StructNestedPastTheLimit_Throws()
    {
        var value = Value.ForString("bottom");
        for (var i = 0; i < MessageJson.MaxDepth; i++)
        {
            value = Value.ForStruct(new Struct { Fields = { ["n"] = value } });
        }

        var order = new Order { Extra = value.StructValue };

        var problem = Assert.Throws<ProtobufFormatException>(() => ShopDescriptors.Set.DecodeResponse(ShopDescriptors.GetOrder, order.ToByteArray()));
        Assert.Contains("nest more than 64 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRequest_MethodTheSetDoesNotDeclare_ReturnsNull()
    {
        Assert.Null(ShopDescriptors.Set.DecodeRequest("/shop.v1.Orders/Nope", []));
        Assert.Null(ShopDescriptors.Set.IsUnary("/shop.v1.Nope/GetOrder"));
    }

    [Theory]
    [InlineData("/shop.v1.Orders/GetOrder", true)]
    [InlineData("/shop.v1.Orders/ListOrders", false)]
    [InlineData("/shop.v1.Orders/UploadOrders", false)]
    [InlineData("/shop.v1.Orders/Chat", false)]
    public void IsUnary_EachCallShape_TellsUnaryApart(string path, bool unary)
    {
        Assert.Equal(unary, ShopDescriptors.Set.IsUnary(path));
    }

    [Fact]
    public void Parse_BytesThatAreNoDescriptorSet_SaysSo()
    {
        var problem = Assert.Throws<ProtobufFormatException>(() => DescriptorSet.Parse("not a descriptor set"u8.ToArray(), "x.pb"));

        Assert.Contains("is not a protobuf descriptor set", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SetWithoutItsImports_AsksForIncludeImports()
    {
        var withoutImports = new FileDescriptorSet { File = { FileDescriptorProto.Parser.ParseFrom(ShopReflection.Descriptor.SerializedData) } };

        var problem = Assert.Throws<ProtobufFormatException>(() => DescriptorSet.Parse(withoutImports.ToByteArray(), "shop.pb"));

        Assert.Contains("--include_imports", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SameBytes_EqualAndChangedBytes_Different()
    {
        var again = DescriptorSet.Parse(ShopDescriptors.Bytes.ToArray(), "shop.pb");
        var other = DescriptorSet.Parse(new FileDescriptorSet { File = { FileDescriptorProto.Parser.ParseFrom(Timestamp.Descriptor.File.SerializedData) } }.ToByteArray(), "shop.pb");

        Assert.Equal(ShopDescriptors.Set, again);
        Assert.NotEqual(ShopDescriptors.Set, other);
    }

    private static Order RandomOrder(Random r, int depth)
    {
        var order = new Order();
        if (r.Next(4) > 0) order.Id = Text(r);
        if (r.Next(3) > 0) order.Total = Double(r);
        if (r.Next(3) > 0) order.PlacedMicros = r.NextInt64(long.MinValue, long.MaxValue);
        if (r.Next(3) > 0) order.Big = (ulong)r.NextInt64() * 2;
        if (r.Next(3) > 0) order.Delta = r.Next(int.MinValue, int.MaxValue);
        if (r.Next(3) > 0) order.Delta64 = r.NextInt64(long.MinValue, long.MaxValue);
        if (r.Next(3) > 0) order.F32 = (uint)r.NextInt64(0, uint.MaxValue);
        if (r.Next(3) > 0) order.F64 = (ulong)r.NextInt64() * 3;
        if (r.Next(3) > 0) order.Sf32 = r.Next(int.MinValue, int.MaxValue);
        if (r.Next(3) > 0) order.Sf64 = r.NextInt64(long.MinValue, long.MaxValue);
        if (r.Next(3) > 0) order.Ratio = (float)Double(r);
        if (r.Next(2) > 0) order.Paid = true;
        if (r.Next(3) > 0) order.Blob = ByteString.CopyFrom(Bytes(r));
        if (r.Next(3) > 0) order.Status = (Status)r.Next(0, 4);
        if (depth < 2)
        {
            for (var i = r.Next(3); i > 0; i--) order.Lines.Add(RandomLine(r));
            for (var i = r.Next(3); i > 0; i--) order.ByNumber[r.Next(-5, 5)] = RandomLine(r);
            if (r.Next(3) == 0) order.MainLine = RandomLine(r);
        }

        for (var i = r.Next(5); i > 0; i--) order.Counts.Add(r.Next(int.MinValue, int.MaxValue));
        for (var i = r.Next(3); i > 0; i--) order.Tags.Add(Text(r));
        for (var i = r.Next(3); i > 0; i--) order.Stock[Text(r)] = r.NextInt64(long.MinValue, long.MaxValue);
        if (r.Next(3) == 0) order.Maybe = r.Next(2) == 0 ? 0 : r.Next();
        switch (r.Next(4))
        {
            case 0: order.Email = r.Next(2) == 0 ? string.Empty : Text(r); break;
            case 1: order.Phone = r.Next(2) == 0 ? 0 : r.NextInt64(); break;
        }

        if (r.Next(3) == 0) order.PlacedAt = new Timestamp { Seconds = r.NextInt64(-62_135_596_800, 253_402_300_799), Nanos = Nanos(r) };
        if (r.Next(3) == 0)
        {
            var seconds = r.NextInt64(0, 315_576_000_000);
            var nanos = Nanos(r);
            order.Ttl = r.Next(2) == 0 ? new Duration { Seconds = seconds, Nanos = nanos } : new Duration { Seconds = -seconds, Nanos = -nanos };
        }

        if (r.Next(3) == 0) order.Note = r.Next(2) == 0 ? string.Empty : Text(r);
        for (var i = r.Next(4); i > 0; i--) order.History.Add((Status)r.Next(0, 3));
        if (r.Next(3) > 0) order.U32 = (uint)r.NextInt64(0, uint.MaxValue);
        if (r.Next(3) == 0) order.Flags[r.Next(2) == 0] = Text(r);
        if (r.Next(3) == 0) order.Extra = RandomStruct(r, 0);
        for (var i = r.Next(4); i > 0; i--) order.Deltas.Add(r.NextInt64(long.MinValue, long.MaxValue));
        return order;
    }

    private static Line RandomLine(Random r) => new() { Sku = Text(r), Quantity = r.Next(-3, 100), Price = Double(r) };

    private static Struct RandomStruct(Random r, int depth)
    {
        var value = new Struct();
        for (var i = r.Next(4); i > 0; i--)
        {
            value.Fields["k" + Text(r)] = RandomValue(r, depth + 1);
        }

        return value;
    }

    private static Value RandomValue(Random r, int depth) => r.Next(depth < 3 ? 6 : 4) switch
    {
        0 => Value.ForNull(),
        1 => Value.ForNumber(Math.Round(r.NextDouble() * 1000, 3)),
        2 => Value.ForString(Text(r)),
        3 => Value.ForBool(r.Next(2) == 0),
        4 => Value.ForStruct(RandomStruct(r, depth)),
        _ => Value.ForList([.. Enumerable.Range(0, r.Next(3)).Select(_ => RandomValue(r, depth + 1))]),
    };

    private static string Text(Random r)
    {
        string[] pieces = ["a", "é", "\"", "\\", "\n", "日本", "😀", "<b>", " ", "x_y", "0"];
        return string.Concat(Enumerable.Range(0, r.Next(6)).Select(_ => pieces[r.Next(pieces.Length)]));
    }

    private static byte[] Bytes(Random r)
    {
        var bytes = new byte[r.Next(20)];
        r.NextBytes(bytes);
        return bytes;
    }

    private static double Double(Random r) => r.Next(10) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => 0.1,
        4 => -1e300,
        5 => 1e-7,
        _ => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-10, 20)),
    };

    private static int Nanos(Random r) => r.Next(4) switch
    {
        0 => 0,
        1 => r.Next(0, 1000) * 1_000_000,
        2 => r.Next(0, 1_000_000) * 1_000,
        _ => r.Next(0, 1_000_000_000),
    };
}
