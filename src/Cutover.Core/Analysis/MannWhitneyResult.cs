namespace Cutover.Core.Analysis;

/// <summary>The outcome of a <see cref="MannWhitneyU"/> test of candidate against legacy latencies.</summary>
/// <param name="CandidateCount">Candidate latencies compared.</param>
/// <param name="LegacyCount">Legacy latencies compared.</param>
/// <param name="U">The U statistic of the candidate's sample: how many (candidate, legacy) pairs have the candidate slower, ties counting half.</param>
/// <param name="Z">U standardised; positive when the candidate tends to be slower.</param>
/// <param name="PValue">Two-sided: how likely a difference at least this large is if both sides had the same latencies.</param>
/// <param name="PValueCandidateSlower">One-sided: how likely this much slowness of the candidate is by chance; a small value means the candidate is slower.</param>
/// <param name="ProbabilityCandidateSlower">U / (n1 n2): the chance that a random candidate request is slower than a random legacy one (0.5: no difference); the effect size.</param>
public sealed record MannWhitneyResult(
    long CandidateCount,
    long LegacyCount,
    double U,
    double Z,
    double PValue,
    double PValueCandidateSlower,
    double ProbabilityCandidateSlower);
