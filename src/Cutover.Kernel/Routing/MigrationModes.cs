namespace Cutover.Kernel.Routing;

/// <summary>The wire names of <see cref="MigrationMode"/>, as they appear in config files, the CLI and the admin API.</summary>
public static class MigrationModes
{
    /// <summary>The lower-case wire name of a mode.</summary>
    public static string ToWire(this MigrationMode mode) => mode switch
    {
        MigrationMode.Legacy => "legacy",
        MigrationMode.Shadow => "shadow",
        MigrationMode.Canary => "canary",
        MigrationMode.Candidate => "candidate",
        MigrationMode.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a wire name; case-insensitive so a shell user's "Canary" still works.</summary>
    public static bool TryParse(string? text, out MigrationMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "legacy": mode = MigrationMode.Legacy; return true;
            case "shadow": mode = MigrationMode.Shadow; return true;
            case "canary": mode = MigrationMode.Canary; return true;
            case "candidate": mode = MigrationMode.Candidate; return true;
            case "retired": mode = MigrationMode.Retired; return true;
            default: mode = MigrationMode.Legacy; return false;
        }
    }

    /// <summary>Every mode's wire name, for error messages.</summary>
    public const string List = "legacy, shadow, canary, candidate or retired";
}
