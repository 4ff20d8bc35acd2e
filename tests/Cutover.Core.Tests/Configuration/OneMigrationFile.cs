using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

/// <summary>A config file holding one migration 'orders' plus the section under test, and the errors it loads with.</summary>
internal static class OneMigrationFile
{
    /// <summary>A file with one migration 'orders' on lines 2-5, followed by <paramref name="extra"/> (indented as a migration key) from line 6.</summary>
    public static string With(string extra) => $"""
        migrations:
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
        {extra}
        """;

    /// <summary>Every error of a file named cutover.yaml, as the CLI prints them.</summary>
    public static List<string> Errors(string yaml)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml"));
        return exception.Errors.Select(e => e.ToString()).ToList();
    }

    /// <summary>The one error of a file whose migration has <paramref name="line"/> as one more key.</summary>
    public static string SingleError(string line) => Assert.Single(Errors(With("    " + line)));
}
