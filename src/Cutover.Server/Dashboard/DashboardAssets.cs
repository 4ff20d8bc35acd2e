using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Cutover.Server.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (no files on disk to lose or tamper with, and
/// nothing fetched from elsewhere), read once and kept in memory: together they are a few tens of
/// kilobytes.
/// </summary>
internal sealed class DashboardAssets
{
    /// <summary>The prefix of the dashboard's files among the assembly's manifest resources.</summary>
    public const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    private DashboardAssets(FrozenDictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The dashboard's files in this assembly.</summary>
    public static DashboardAssets Embedded { get; } = Load(typeof(DashboardAssets).Assembly);

    /// <summary>The file named <paramref name="name"/> (as under <c>/ui/</c>), or null when there is none.</summary>
    public DashboardAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            assets[name] = new DashboardAsset(name, content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"");
        }

        return new DashboardAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
