namespace Cutover.Core.Configuration;

/// <summary>A validated config file: every address parsed, every migration checked.</summary>
public sealed record CutoverDefinition(
    Uri Listen,
    Uri Admin,
    string Store,
    Uri? Fallback,
    IReadOnlyList<MigrationDefinition> Migrations,
    string Source);
