using Cutover.Testing;

namespace Cutover.Cli.Tests;

/// <summary>Config files for <c>cutover serve</c> processes: a store in the test's folder, the admin API where the test says, the proxy on a free port.</summary>
internal static class ServeConfig
{
    /// <summary>Writes the file into <paramref name="folder"/> (named by the admin port, so servers on one store can sit side by side) and returns its path.</summary>
    /// <param name="folder">The test's folder, which holds the SQLite store.</param>
    /// <param name="admin">Where the admin API listens.</param>
    /// <param name="migrations">The YAML items of the <c>migrations</c> list, indented by two spaces.</param>
    /// <param name="settings">More file-level keys, unindented (such as an <c>adminTls</c> section).</param>
    public static string Write(string folder, Uri admin, string migrations, string? settings = null)
    {
        var config = Path.Combine(folder, $"cutover-{admin.Port}.yaml");
        File.WriteAllText(config, $"""
            listen: http://127.0.0.1:{LoopbackPorts.Closed()}
            admin: {admin}
            store: sqlite:{Path.Combine(folder, "cutover.db")}
            {settings}
            migrations:
            {migrations}
            """);
        return config;
    }
}
