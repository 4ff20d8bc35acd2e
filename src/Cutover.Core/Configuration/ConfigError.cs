using System.Text;

namespace Cutover.Core.Configuration;

/// <summary>
/// One problem in a config file: where (file, line), in which migration, which key, and a
/// message that says what was found and what is allowed.
/// </summary>
/// <param name="Source">The file name.</param>
/// <param name="Line">The 1-based line, or 0 when unknown.</param>
/// <param name="Migration">The migration's name (or "#N" when it has none), or null for file-level keys.</param>
/// <param name="Key">The key, such as "weight" or "match.pathPrefix".</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record ConfigError(string Source, int Line, string? Migration, string Key, string Message)
{
    /// <summary>"cutover.yaml:12: migration 'orders': weight: 150 is outside 0..100; ...".</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Source);
        if (Line > 0)
        {
            text.Append(':').Append(Line);
        }

        text.Append(": ");
        if (Migration is not null)
        {
            text.Append("migration '").Append(Migration).Append("': ");
        }

        if (Key.Length > 0)
        {
            text.Append(Key).Append(": ");
        }

        return text.Append(Message).ToString();
    }
}
