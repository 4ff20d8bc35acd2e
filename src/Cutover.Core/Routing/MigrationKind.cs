namespace Cutover.Core.Routing;

/// <summary>Where a migration's two sides run, and so who carries out its mode and weight.</summary>
public enum MigrationKind
{
    /// <summary>Two HTTP backends behind a route: the proxy forwards, mirrors and compares.</summary>
    Http,

    /// <summary>
    /// Two implementations inside an application (a tax calculator, a repository): the in-process
    /// SDK (Cutover.Client) decides and compares by the state it streams from the control plane,
    /// and reports its counts back, so plans, gates and triggers judge it as they judge a route.
    /// </summary>
    Code,
}

/// <summary>The config file's names of the kinds.</summary>
public static class MigrationKinds
{
    /// <summary>The names allowed, for error messages.</summary>
    public const string List = "http (the default: a route the proxy forwards) or code (two implementations in an application, decided by Cutover.Client)";

    /// <summary>The name of a kind, as in the config file and the admin API.</summary>
    public static string ToWire(this MigrationKind kind) => kind == MigrationKind.Code ? "code" : "http";

    /// <summary>Parses a kind's name.</summary>
    public static bool TryParse(string text, out MigrationKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim())
        {
            case "http": kind = MigrationKind.Http; return true;
            case "code": kind = MigrationKind.Code; return true;
            default: kind = MigrationKind.Http; return false;
        }
    }
}
