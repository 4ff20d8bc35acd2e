namespace RpcFleet;

/// <summary>The twelve services of the fleet by their short names, in the order the phases move them (lowest risk first).</summary>
public static class Fleet
{
    /// <summary>The gRPC package every service is in.</summary>
    public const string Package = "fleet.v1";

    /// <summary>Each service's short name; its full name is <see cref="Package"/>, a dot and the name.</summary>
    public static IReadOnlyList<string> Services { get; } =
    [
        "Recommendations", "Reviews", "Notifications", // phase p4: low priority
        "Catalog", "Search", "Pricing",                // phase p3: low, in lockstep (one product index)
        "Inventory", "Shipping",                       // phase p2: normal
        "Accounts", "Sessions",                        // phase p1: high, in lockstep (sessions signed by accounts)
        "Orders", "Payments",                          // phase p0: critical
    ];
}
