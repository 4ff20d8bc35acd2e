using Cutover.Core.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>match</c> section and builds the <see cref="MatchModel"/> requests are
/// routed by. Every bad part is reported, and no model is built from a partly wrong match, so a
/// migration never routes requests it was not meant to.
/// </summary>
internal static class MatchValidator
{
    /// <summary>Validates <paramref name="match"/>; <paramref name="fail"/> gets (key, message). Returns null when anything failed.</summary>
    public static MatchModel? Validate(MatchConfig? match, Action<string, string> fail)
    {
        if (match is null || (string.IsNullOrWhiteSpace(match.PathPrefix) && string.IsNullOrWhiteSpace(match.Host) && string.IsNullOrWhiteSpace(match.Grpc)))
        {
            fail("match", "needs a pathPrefix, a grpc service or a host; use match: { pathPrefix: / } to send every request to this migration");
            return null;
        }

        var ok = true;
        var grpc = string.IsNullOrWhiteSpace(match.Grpc) ? null : match.Grpc.Trim();
        var prefix = string.IsNullOrWhiteSpace(match.PathPrefix) ? "/" : match.PathPrefix.Trim();
        if (grpc is not null)
        {
            if (!string.IsNullOrWhiteSpace(match.PathPrefix))
            {
                fail("match.grpc", $"is given with pathPrefix '{match.PathPrefix}', but a gRPC service is its own path prefix; keep one of them");
                ok = false;
            }
            else if (!GrpcName.IsServiceOrMethod(grpc))
            {
                fail("match.grpc", $"'{match.Grpc}' is not a gRPC service or method; write the service's full name (shop.v1.Orders) or one method of it (shop.v1.Orders/GetOrder)");
                ok = false;
            }

            prefix = "/" + grpc;
        }
        else if (!prefix.StartsWith('/') || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal) || prefix.Contains('*', StringComparison.Ordinal))
        {
            fail("match.pathPrefix", $"'{match.PathPrefix}' is not a path prefix; it must start with '/' and hold no '?', '#' or '*' (e.g. /orders)");
            ok = false;
        }

        var host = string.IsNullOrWhiteSpace(match.Host) ? null : match.Host.Trim();
        if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            fail("match.host", $"'{match.Host}' is not a host name; write the name only, without scheme or port (e.g. shop.example.com)");
            ok = false;
        }

        var methodFailures = 0;
        var methods = ValueRules.Methods(match.Methods, "match.methods", (key, message) =>
        {
            methodFailures++;
            fail(key, message);
        }).ToList();
        ok &= methodFailures == 0;

        foreach (var name in match.Headers.Keys)
        {
            if (!ValueRules.IsHeaderName(name))
            {
                fail("match.headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. X-Tenant)");
                ok = false;
            }
        }

        return ok ? new MatchModel(prefix, host, methods.Distinct().ToList(), match.Headers.ToList()) : null;
    }
}
