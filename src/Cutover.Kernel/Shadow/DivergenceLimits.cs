namespace Cutover.Kernel.Shadow;

/// <summary>
/// Bounds on the evidence kept, so a candidate that differs everywhere cannot fill the store or
/// the memory of the proxy: a few samples per group are enough to show a person what is wrong.
/// </summary>
public static class DivergenceLimits
{
    /// <summary>Samples kept per endpoint and path; older ones are replaced by newer.</summary>
    public const int SamplesPerPath = 3;

    /// <summary>Distinct endpoints tracked per migration; further ones are counted under <see cref="OtherEndpoint"/>.</summary>
    public const int EndpointsPerMigration = 500;

    /// <summary>Distinct differing paths tracked per endpoint; further ones are counted under <see cref="OtherPath"/>.</summary>
    public const int PathsPerEndpoint = 200;

    /// <summary>Noise paths learned per endpoint; beyond it the endpoint's JSON body is too noisy to compare field by field.</summary>
    public const int NoisePerEndpoint = 200;

    /// <summary>Bytes of each body kept in a sample; the rest is cut and marked.</summary>
    public const int SampleBodyBytes = 64 * 1024;

    /// <summary>The endpoint that collects what is over <see cref="EndpointsPerMigration"/>.</summary>
    public const string OtherEndpoint = "(other endpoints)";

    /// <summary>The path that collects what is over <see cref="PathsPerEndpoint"/>.</summary>
    public const string OtherPath = "(other paths)";
}
