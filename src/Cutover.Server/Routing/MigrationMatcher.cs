using Cutover.Core.Routing;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Routing;

/// <summary>Finds the migration a request belongs to: the first, most specific, whose match accepts it.</summary>
internal static class MigrationMatcher
{
    public static MigrationModel? Find(RoutingSnapshot snapshot, HttpRequest request)
    {
        var migrations = snapshot.Migrations;
        var path = request.Path.Value ?? "/";
        for (var i = 0; i < migrations.Count; i++)
        {
            var match = migrations[i].Match;
            if (match.MatchesPath(path)
                && match.MatchesMethod(request.Method)
                && (match.Host is null || match.MatchesHost(request.Host.Host))
                && HeadersMatch(match, request.Headers))
            {
                return migrations[i];
            }
        }

        return null;
    }

    private static bool HeadersMatch(MatchModel match, IHeaderDictionary headers)
    {
        foreach (var (name, value) in match.Headers)
        {
            if (!headers.TryGetValue(name, out var actual) || !actual.Contains(value))
            {
                return false;
            }
        }

        return true;
    }
}
