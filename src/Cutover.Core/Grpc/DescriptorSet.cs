using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cutover.Core.Grpc;

/// <summary>
/// A protobuf descriptor set (<c>protoc --descriptor_set_out=shop.pb --include_imports</c>): the
/// services and messages a migration's gRPC calls are decoded by. A call's path
/// (<c>/shop.v1.Orders/GetOrder</c>) names its method, whose input and output types read the
/// request and the answer. Two sets are equal when their bytes are, so <c>cutover apply</c> of an
/// unchanged file finds nothing changed; only <see cref="Source"/> and <see cref="Digest"/> are public properties for that reason.
/// </summary>
public sealed class DescriptorSet : IEquatable<DescriptorSet>
{
    /// <summary>The largest descriptor set read: a set of every proto a large company has is a few megabytes.</summary>
    public const long MaxFileBytes = 32 * 1024 * 1024;

    /// <summary>The longest JSON a message is decoded into; a longer one is compared by its bytes.</summary>
    public const long MaxJsonBytes = 16 * 1024 * 1024;

    private readonly Dictionary<string, MethodDescriptor> _methods;
    private readonly Dictionary<string, MessageDescriptor> _messages;

    private DescriptorSet(string source, string digest, Dictionary<string, MethodDescriptor> methods, Dictionary<string, MessageDescriptor> messages)
    {
        Source = source;
        Digest = digest;
        _methods = methods;
        _messages = messages;
    }

    /// <summary>The file as the config names it.</summary>
    public string Source { get; }

    /// <summary>The SHA-256 of the file's bytes, in hex: what tells two sets apart.</summary>
    public string Digest { get; }

    /// <summary>How many methods the set's services declare.</summary>
    public int MethodCount => _methods.Count;

    /// <summary>Reads a descriptor set; <paramref name="source"/> names it.</summary>
    /// <exception cref="ProtobufFormatException">The bytes are not a descriptor set, or one whose files cannot be built (an import left out).</exception>
    public static DescriptorSet Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        FileDescriptorSet set;
        try
        {
            set = FileDescriptorSet.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtobufFormatException($"is not a protobuf descriptor set ({e.Message})");
        }

        if (set.File.Count == 0)
        {
            throw new ProtobufFormatException("holds no .proto files");
        }

        IReadOnlyList<FileDescriptor> files;
        try
        {
            files = FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        }
        catch (Exception e) when (e is ArgumentException or DescriptorValidationException or InvalidOperationException)
        {
            throw new ProtobufFormatException($"holds .proto files that do not build ({e.Message}); write it with --include_imports, so every imported file is in it");
        }

        var methods = new Dictionary<string, MethodDescriptor>(StringComparer.Ordinal);
        var messages = new Dictionary<string, MessageDescriptor>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var service in file.Services)
            {
                foreach (var method in service.Methods)
                {
                    methods[$"/{service.FullName}/{method.Name}"] = method;
                }
            }

            foreach (var message in file.MessageTypes.SelectMany(Nested))
            {
                messages[message.FullName] = message;
            }
        }

        return new DescriptorSet(source, Convert.ToHexStringLower(SHA256.HashData(bytes)), methods, messages);
    }

    /// <summary>Whether the set declares the method a call's path names.</summary>
    public bool Declares(string path) => _methods.ContainsKey(path);

    /// <summary>Whether the method a path names is unary (one request, one answer); null when the set does not declare it.</summary>
    public bool? IsUnary(string path) => _methods.TryGetValue(path, out var method) ? !method.IsClientStreaming && !method.IsServerStreaming : null;

    /// <summary>A request message of the method <paramref name="path"/> names, as JSON; null when the set does not declare it.</summary>
    /// <exception cref="ProtobufFormatException">The bytes are not that method's request, or decode past the limits.</exception>
    public byte[]? DecodeRequest(string path, ReadOnlySpan<byte> message) =>
        _methods.TryGetValue(path, out var method) ? Decode(message, method.InputType) : null;

    /// <summary>An answer message of the method <paramref name="path"/> names, as JSON; null when the set does not declare it.</summary>
    /// <exception cref="ProtobufFormatException">The bytes are not that method's answer, or decode past the limits.</exception>
    public byte[]? DecodeResponse(string path, ReadOnlySpan<byte> message) =>
        _methods.TryGetValue(path, out var method) ? Decode(message, method.OutputType) : null;

    /// <inheritdoc />
    public bool Equals(DescriptorSet? other) => other is not null && Source == other.Source && Digest == other.Digest;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DescriptorSet);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Source, Digest);

    /// <inheritdoc />
    public override string ToString() => $"{Source} (sha256 {Digest[..16]})";

    // A generous multiple of the message: a one-byte enum can become its name, but never without bound.
    private byte[] Decode(ReadOnlySpan<byte> message, MessageDescriptor type) =>
        MessageJson.Decode(message, type, name => _messages.GetValueOrDefault(name), Math.Min(MaxJsonBytes, (64L * message.Length) + 4096));

    private static IEnumerable<MessageDescriptor> Nested(MessageDescriptor message) => [message, .. message.NestedTypes.SelectMany(Nested)];
}
