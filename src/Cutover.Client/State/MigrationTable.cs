using System.Collections.Frozen;

namespace Cutover.Client.State;

/// <summary>
/// The migrations' settings as last known, read on every decision and replaced whole when the
/// control plane's state arrives. Readers take one reference to an immutable map of slots and the
/// setting in one slot, so a decision costs a lookup and never a lock or an allocation; a
/// migration the table does not know is run as <c>legacy</c>. A change to a known migration swaps
/// that slot's setting alone, so it costs the same with a thousand migrations as with one.
/// </summary>
public sealed class MigrationTable
{
    private FrozenDictionary<string, Slot> _slots = FrozenDictionary<string, Slot>.Empty;

    /// <summary>Every setting now held.</summary>
    public IReadOnlyCollection<MigrationSetting> All => [.. Volatile.Read(ref _slots).Values.Select(s => s.Setting)];

    /// <summary>The setting of <paramref name="name"/>, or null when the control plane has not said.</summary>
    public MigrationSetting? Find(string name) => Volatile.Read(ref _slots).GetValueOrDefault(name)?.Setting;

    /// <summary>Replaces every setting (a full state from the control plane or the disk cache).</summary>
    public void Replace(IEnumerable<MigrationSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _slots, settings.ToFrozenDictionary(s => s.Name, s => new Slot(s), StringComparer.Ordinal));
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
            var slots = Volatile.Read(ref _slots);
            if (slots.TryGetValue(setting.Name, out var slot))
            {
                var held = slot.Setting;
                if (held.Version >= setting.Version)
                {
                    return false;
                }

                // Tried again when the slot changed meanwhile, or when the table was replaced
                // meanwhile (the setting then goes into the new table's slot, if newer there).
                if (slot.TrySwap(held, setting) && Volatile.Read(ref _slots) == slots)
                {
                    return true;
                }

                continue;
            }

            // A migration the table has not held: the map itself grows by one slot.
            var next = slots.Values.Append(new Slot(setting)).ToFrozenDictionary(s => s.Setting.Name, StringComparer.Ordinal);
            if (Interlocked.CompareExchange(ref _slots, next, slots) == slots)
            {
                return true;
            }
        }
    }

    /// <summary>One migration's place in the map; its setting is swapped whole.</summary>
    private sealed class Slot(MigrationSetting setting)
    {
        private MigrationSetting _setting = setting;

        public MigrationSetting Setting => Volatile.Read(ref _setting);

        public bool TrySwap(MigrationSetting held, MigrationSetting next) => Interlocked.CompareExchange(ref _setting, next, held) == held;
    }
}
