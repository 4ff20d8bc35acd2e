using Cutover.Core.Comparison;
using Cutover.Core.Grpc;
using Cutover.Core.Routing;

namespace Cutover.Server.Shadow;

/// <summary>
/// Which gRPC calls are mirrored: unary ones, one request message and one answer (or none, for a
/// call that failed), since only those can be sent again and compared as one answer. A streaming
/// call is served as always and its copy skipped.
/// </summary>
internal static class GrpcCall
{
    /// <summary>
    /// Whether the call legacy served was unary: the request one whole message within the limit,
    /// the answer at most one, and the method unary when the descriptor set declares it.
    /// </summary>
    public static bool IsUnary(MigrationModel migration, string path, ReadOnlyMemory<byte>? request, CapturedResponse legacy) =>
        request is { } body
        && GrpcContent.TrySingle(body, out _, out _)
        && !legacy.Truncated
        && (legacy.Body.IsEmpty || GrpcContent.TrySingle(legacy.Body, out _, out _))
        && migration.Compare.Descriptors?.IsUnary(path) is null or true;
}
