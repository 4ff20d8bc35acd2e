using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

/// <summary>Config files for the tests of one migration's section, and the errors they get, as a user reads them.</summary>
internal static class ConfigFiles
{
    /// <summary>Every error of loading <paramref name="yaml"/> as cutover.yaml, as printed.</summary>
    public static List<string> Errors(string yaml)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml"));
        return exception.Errors.Select(e => e.ToString()).ToList();
    }

    /// <summary>A file with one migration 'orders' on lines 2-5, followed by <paramref name="extra"/> (indented as a migration key) from line 6.</summary>
    public static string Migration(string extra) => $"""
        migrations:
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
        {extra}
        """;
}
