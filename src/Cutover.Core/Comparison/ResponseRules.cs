using Cutover.Core.Grpc;
using Cutover.Kernel.Comparison;

namespace Cutover.Core.Comparison;

/// <summary>How two captured answers are compared.</summary>
/// <param name="Json">The rules for JSON bodies.</param>
/// <param name="Headers">The response headers compared; others (Date, Server, tracing) differ by nature and are left out.</param>
/// <param name="NormalizeWhitespace">Whether text bodies compare after collapsing runs of white space.</param>
public sealed record ResponseRules(ComparisonRules Json, IReadOnlyList<string> Headers, bool NormalizeWhitespace)
{
    /// <summary>The defaults: exact JSON, Content-Type only, text compared exactly.</summary>
    public static ResponseRules Default { get; } = new(ComparisonRules.Exact, ["Content-Type"], false);

    /// <summary>Whether the status code is left out, because it was learned to differ between two legacy answers.</summary>
    public bool IgnoreStatus { get; init; }

    /// <summary>
    /// The descriptor set gRPC messages are decoded by (<c>compare.descriptorSet</c>), so they are
    /// compared field by field as JSON; null compares them by their bytes.
    /// </summary>
    public DescriptorSet? Descriptors { get; init; }

    /// <summary>Whether the body is left out, because a text or binary body was learned to differ between two legacy answers.</summary>
    public bool IgnoreBody { get; init; }
}
