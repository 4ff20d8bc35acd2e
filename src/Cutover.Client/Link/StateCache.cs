using System.Text.Json;
using Cutover.Client.State;
using Cutover.Kernel.Link;

namespace Cutover.Client.Link;

/// <summary>
/// The last known state on disk, so an application restarted while the control plane is down
/// decides as it did before. Written whole to a temporary file and moved over the old one, so a
/// crash mid-write leaves the previous state, never half of one.
/// </summary>
internal sealed class StateCache(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The settings kept, or null when there is no cache file yet; throws when it cannot be read.</summary>
    public IReadOnlyList<MigrationSetting>? Load()
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var file = File.OpenRead(path);
        var snapshot = JsonSerializer.Deserialize<StateSnapshot>(file, Json)
            ?? throw new JsonException($"The state cache {path} holds no state.");
        return StateEvents.Settings(snapshot.Migrations);
    }

    /// <summary>Replaces the file with <paramref name="settings"/>.</summary>
    public void Save(IEnumerable<MigrationSetting> settings)
    {
        var snapshot = new StateSnapshot([.. settings.OrderBy(s => s.Name, StringComparer.Ordinal).Select(StateEvents.Event)]);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(snapshot, Json));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
