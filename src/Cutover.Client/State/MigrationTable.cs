using System.Collections.Frozen;

namespace Cutover.Client.State;

/// <summary>
/// The migrations' settings as last known, read on every decision and replaced whole when the
/// control plane's state arrives. Readers take one reference to an immutable map, so a decision
/// costs a lookup and never a lock or an allocation; a migration the table does not know is run as
/// <c>legacy</c>.
/// </summary>
public sealed class MigrationTable
{
    private FrozenDictionary<string, MigrationSetting> _settings = FrozenDictionary<string, MigrationSetting>.Empty;

    /// <summary>Every setting now held.</summary>
    public IReadOnlyCollection<MigrationSetting> All => Volatile.Read(ref _settings).Values;

    /// <summary>The setting of <paramref name="name"/>, or null when the control plane has not said.</summary>
    public MigrationSetting? Find(string name) => Volatile.Read(ref _settings).GetValueOrDefault(name);

    /// <summary>Replaces every setting (a full state from the control plane or the disk cache).</summary>
    public void Replace(IEnumerable<MigrationSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _settings, settings.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal));
    }

    /// <summary>
    /// Sets one migration's setting (a change streamed from the control plane), unless the table
    /// already holds a newer version of it; returns whether it changed anything.
    /// </summary>
    public bool Set(MigrationSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        while (true)
        {
            var current = Volatile.Read(ref _settings);
            if (current.TryGetValue(setting.Name, out var held) && held.Version >= setting.Version)
            {
                return false;
            }

            var next = current.Values.Where(s => s.Name != setting.Name).Append(setting).ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
            if (Interlocked.CompareExchange(ref _settings, next, current) == current)
            {
                return true;
            }
        }
    }
}
