using System.Globalization;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Rollout;

/// <summary>Send <paramref name="Weight"/> percent of users to the candidate; the step ends when the gates pass.</summary>
/// <param name="Weight">The canary weight, in (0, 100].</param>
public sealed record WeightStep(Weight Weight) : PlanStep
{
    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"weight {Weight:0.##}");
}
