using Cutover.Core.Rollout;
using Cutover.Core.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Reads the file's <c>lockstep</c> list: the fleet groups whose migrations one plan moves
/// together. Each must name a group at least two migrations give (<c>group: NAME</c>), once, and
/// their plans must fit together (<see cref="LockstepShape"/>).
/// </summary>
public static class LockstepValidator
{
    /// <summary>The migrations with each lockstep member marked; every problem is reported through <paramref name="fail"/> (line, message).</summary>
    public static IReadOnlyList<MigrationDefinition> Validate(IReadOnlyList<LockstepConfig> entries, IReadOnlyList<MigrationDefinition> migrations, Action<int, string> fail)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(fail);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var group = entry.Group.Trim();
            var members = migrations.Where(m => m.Group == group).ToList();
            if (!groups.Add(group))
            {
                fail(entry.Line, $"'{group}' is listed twice; list each lockstep group once");
            }
            else if (members.Count < 2)
            {
                var known = migrations.Select(m => m.Group).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                fail(entry.Line, members.Count == 0
                    ? $"'{group}' is the group of no migration; give two or more migrations `group: {group}`, or list one of the groups the file has ({(known.Count == 0 ? "none" : string.Join(", ", known))})"
                    : $"'{group}' has one migration, '{members[0].Name}'; lockstep moves two or more together, so give another migration `group: {group}` or take the group out of the list");
            }
            else
            {
                foreach (var problem in LockstepShape.Problems(group, [.. members.Select(m => (m.Name, m.Plan))]))
                {
                    fail(entry.Line, problem);
                }
            }
        }

        return [.. migrations.Select(m => m.Group is { } group && groups.Contains(group) ? m with { Lockstep = true } : m)];
    }
}
