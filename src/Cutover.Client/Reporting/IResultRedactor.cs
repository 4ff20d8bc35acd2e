using Cutover.Kernel.Comparison;

namespace Cutover.Client.Reporting;

/// <summary>
/// Masks what must not leave the process in a divergence sample: every rendered result and every
/// difference passes through it before it is kept. Register your own to redact by other rules
/// than field names.
/// </summary>
public interface IResultRedactor
{
    /// <summary>A rendered result of <paramref name="migration"/> with its secrets masked.</summary>
    string Redact(string migration, string result);

    /// <summary>A difference of <paramref name="migration"/> with both values masked when they are secret.</summary>
    Difference Redact(string migration, Difference difference);
}
