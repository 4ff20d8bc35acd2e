using Cutover.Core.Grpc;
using Cutover.Testing.Shop;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cutover.Core.Tests.Grpc;

/// <summary>The test service's descriptor set as protoc --include_imports writes it: every file, imports first.</summary>
internal static class ShopDescriptors
{
    public static byte[] Bytes { get; } = Build();

    public static DescriptorSet Set { get; } = DescriptorSet.Parse(Bytes, "shop.pb");

    public const string GetOrder = "/shop.v1.Orders/GetOrder";

    private static byte[] Build()
    {
        var set = new FileDescriptorSet();
        var added = new HashSet<string>(StringComparer.Ordinal);
        void Add(FileDescriptor file)
        {
            foreach (var dependency in file.Dependencies)
            {
                Add(dependency);
            }

            if (added.Add(file.Name))
            {
                set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
            }
        }

        Add(ShopReflection.Descriptor);
        return set.ToByteArray();
    }
}
