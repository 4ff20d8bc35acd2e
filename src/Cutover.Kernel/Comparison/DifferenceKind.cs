namespace Cutover.Kernel.Comparison;

/// <summary>How the candidate's answer differs from legacy's at one path.</summary>
public enum DifferenceKind
{
    /// <summary>Same type, different value.</summary>
    ValueChanged,

    /// <summary>A different JSON type (a number became a string, an object became null).</summary>
    TypeChanged,

    /// <summary>Legacy has it, the candidate does not.</summary>
    Missing,

    /// <summary>The candidate has it, legacy does not.</summary>
    Added,
}
