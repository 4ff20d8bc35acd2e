namespace Cutover.Kernel.Routing;

/// <summary>The wire names of <see cref="Side"/>, as metrics labels, trace tags and problem details show them.</summary>
public static class Sides
{
    /// <summary>The lower-case wire name of a side: <c>legacy</c> or <c>candidate</c>.</summary>
    public static string ToWire(this Side side) => side == Side.Candidate ? "candidate" : "legacy";
}
