using Cutover.Client.Setup;
using Cutover.Kernel.Security;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Link;

/// <summary>
/// Which certificates the link accepts from an https control plane: the system's trusted ones,
/// and those issued by the authorities of <see cref="CutoverClientOptions.CaFile"/>. A file that
/// cannot be used stops the application at start, with the setting and the fix, rather than
/// leaving it to run on legacy while the link fails over and over.
/// </summary>
internal sealed class ControlPlaneTrust : IValidateOptions<CutoverClientOptions>
{
    public ValidateOptionsResult Validate(string? name, CutoverClientOptions options) =>
        Problem(options.CaFile, out _) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>The trust for <paramref name="caFile"/>; throws when the file cannot be used (validated at start, so only when it went away since).</summary>
    public static AdminTrust Of(string? caFile) =>
        Problem(caFile, out var trust) is { } problem ? throw new InvalidOperationException(problem) : trust!;

    private static string? Problem(string? caFile, out AdminTrust? trust)
    {
        if (string.IsNullOrWhiteSpace(caFile))
        {
            trust = AdminTrust.SystemStore();
            return null;
        }

        trust = AdminTrust.FromCaFile(caFile, out var problem);
        return trust is not null ? null
            : $"Cutover:CaFile {problem}; give the PEM file of the certificate authority that issued the control plane's certificate, or leave CaFile out to trust only the system's";
    }
}
