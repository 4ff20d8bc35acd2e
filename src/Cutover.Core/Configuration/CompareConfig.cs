namespace Cutover.Core.Configuration;

/// <summary>The <c>compare</c> section of a migration as written: how legacy's and the candidate's answers are compared.</summary>
public sealed record CompareConfig
{
    /// <summary>JSON paths never compared, such as <c>$.requestId</c> or <c>$.items[*].updatedAt</c>.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Response headers compared. The default is Content-Type only.</summary>
    public IReadOnlyList<string>? Headers { get; init; }

    /// <summary>Numbers this close are equal. The default value is 0.</summary>
    public double? NumericTolerance { get; init; }

    /// <summary>JSON arrays whose order carries no meaning.</summary>
    public IReadOnlyList<string> UnorderedArrays { get; init; } = [];

    /// <summary>Whether text bodies compare after collapsing white space. The default value is false.</summary>
    public bool? NormalizeWhitespace { get; init; }

    /// <summary>
    /// A protobuf descriptor set (<c>protoc --descriptor_set_out --include_imports</c>), relative to
    /// the config file's folder: gRPC messages are then decoded to JSON and compared field by field,
    /// rather than by their bytes.
    /// </summary>
    public string? DescriptorSet { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
