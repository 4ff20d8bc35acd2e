using System.Globalization;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// The gRPC status codes (0 OK to 16 UNAUTHENTICATED) by their canonical names, so a config can
/// list them as a gRPC user reads them in logs (<c>UNAVAILABLE</c>) or as numbers (<c>14</c>).
/// </summary>
public static class GrpcStatusCodes
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The highest code gRPC defines (16, UNAUTHENTICATED).</summary>
    public const int Highest = 16;

    /// <summary>INTERNAL: what a gRPC answer without a <c>grpc-status</c> is taken as, since the call cannot have succeeded.</summary>
    public const int Internal = 13;

    /// <summary>UNAVAILABLE: the service could not be reached, the code a client retries.</summary>
    public const int Unavailable = 14;

    /// <summary>
    /// The codes counted as errors when a migration lists none: UNKNOWN, DEADLINE_EXCEEDED,
    /// RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE and DATA_LOSS, the failures of the service
    /// rather than answers about the request (NOT_FOUND, INVALID_ARGUMENT…), which a correct
    /// service gives too.
    /// </summary>
    public static IReadOnlyList<int> DefaultErrors { get; } = [2, 4, 8, 13, 14, 15];

    /// <summary>The names accepted, for error messages.</summary>
    public static string List => string.Join(", ", Names);

    /// <summary>The canonical name of a code, or its number as text for a code gRPC does not define.</summary>
    public static string Name(int code) => code is >= 0 and <= Highest ? Names[code] : code.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a name in any case (<c>UNAVAILABLE</c>, <c>unavailable</c>) or a number from 0 to 16.</summary>
    public static bool TryParse(string? text, out int code)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            return code <= Highest;
        }

        code = Array.FindIndex(Names, name => name.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
        return code >= 0;
    }

    /// <summary>Reads the value of a <c>grpc-status</c> header or trailer; an absent or malformed one is null.</summary>
    public static int? FromHeader(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
}
