namespace Cutover.Core.Configuration;

/// <summary>
/// The shape of a gRPC service's full name (<c>shop.v1.Orders</c>: a package and a service, each
/// part a protobuf identifier) and of one of its methods (<c>shop.v1.Orders/GetOrder</c>), which
/// <c>match.grpc</c> takes: gRPC sends a call to the path <c>/{service}/{method}</c>.
/// </summary>
internal static class GrpcName
{
    /// <summary>Whether <paramref name="text"/> is a service's full name, optionally followed by "/" and a method name.</summary>
    public static bool IsServiceOrMethod(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var service = slash < 0 ? text : text[..slash];
        return service.Split('.').All(IsIdentifier) && (slash < 0 || IsIdentifier(text[(slash + 1)..]));
    }

    /// <summary>Whether <paramref name="text"/> is one method: a service's full name, "/" and a method name.</summary>
    public static bool IsMethod(string text) => text.Contains('/', StringComparison.Ordinal) && IsServiceOrMethod(text);

    private static bool IsIdentifier(string part) =>
        part.Length > 0 && (char.IsAsciiLetter(part[0]) || part[0] == '_') && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
