namespace Cutover.Core.Analysis;

/// <summary>
/// The comparisons a condition may make. Only orderings: equality on measured rates and
/// latencies would hold by accident or never, so it is not offered.
/// </summary>
internal sealed class ComparisonOperator
{
    private readonly Func<double, double, bool> _holds;
    private readonly bool _less;

    private ComparisonOperator(string symbol, bool less, Func<double, double, bool> holds)
    {
        Symbol = symbol;
        _less = less;
        _holds = holds;
    }

    /// <summary>Every operator, for parsing and error messages.</summary>
    public static IReadOnlyList<ComparisonOperator> All { get; } =
    [
        new("<", less: true, (left, right) => left < right),
        new("<=", less: true, (left, right) => left <= right),
        new(">", less: false, (left, right) => left > right),
        new(">=", less: false, (left, right) => left >= right),
    ];

    /// <summary>The symbols, as error messages list them: "&lt;, &lt;=, &gt;, &gt;=".</summary>
    public static string List { get; } = string.Join(", ", All.Select(o => o.Symbol));

    /// <summary>The symbol as written.</summary>
    public string Symbol { get; }

    /// <summary>The operator written as <paramref name="symbol"/>; null for anything else.</summary>
    public static ComparisonOperator? Find(string? symbol) => All.FirstOrDefault(o => o.Symbol == symbol);

    /// <summary>Whether <paramref name="left"/> compares to <paramref name="right"/> this way.</summary>
    public bool Holds(double left, double right) => _holds(left, right);

    /// <summary>
    /// Whether some difference left − right in [<paramref name="low"/>, <paramref name="high"/>]
    /// (infinite ends allowed) makes the comparison hold: the test behind a condition's impossibility.
    /// </summary>
    public bool HoldsForSomeDifference(double low, double high) => Holds(_less ? low : high, 0);

    /// <inheritdoc/>
    public override string ToString() => Symbol;
}
