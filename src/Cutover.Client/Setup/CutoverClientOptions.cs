namespace Cutover.Client.Setup;

/// <summary>
/// How the SDK reaches its control plane and where it keeps what it learned, bound from the
/// <c>Cutover</c> configuration section by <c>services.AddCutover(configuration)</c>.
/// </summary>
public sealed class CutoverClientOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string Section = "Cutover";

    /// <summary>The control plane's admin API (<c>http://127.0.0.1:8081</c>); null runs on the disk cache alone, or <c>legacy</c> when there is none.</summary>
    public Uri? ControlPlane { get; set; }

    /// <summary>
    /// The admin API token the link sends (<c>Authorization: Bearer</c>), needed when the control
    /// plane runs with <c>adminAuth: tokens</c>: a <c>reporter</c> token, limited to this
    /// application's migrations. Keep it out of source control (an environment variable such as
    /// <c>Cutover__Token</c>, or a secret store). The default is none.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// A PEM file of the certificate authorities (one or more) that issued an https control plane's
    /// certificate, trusted besides the system's, for a certificate from a private CA; null trusts
    /// the system's alone. The application does not start when the file cannot be used.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>This application's name in the control plane's metrics (one replica per process); defaults to the entry assembly's name.</summary>
    public string? App { get; set; }

    /// <summary>Where the last known state is kept, so a restart without the control plane keeps its decisions; null keeps none.</summary>
    public string? CacheFile { get; set; }

    /// <summary>How often recorded results are sent to the control plane.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How each migration's calls run, by migration name (<c>Cutover:Migrations:billing-tax</c>); a migration not named runs on the defaults.</summary>
    public IDictionary<string, MigrationOptions> Migrations { get; } = new Dictionary<string, MigrationOptions>(StringComparer.Ordinal);

    /// <summary>
    /// JSON property names masked at any depth in divergence samples, ignoring case (as the proxy's
    /// <c>shadow.redact</c> fields), such as <c>iban</c>: in addition to <see cref="Cutover.Kernel.Shadow.RedactedByDefault.Fields"/>
    /// (<c>password</c>, <c>token</c>, <c>apiKey</c>, ...), which are always masked. The default value is none beyond those.
    /// </summary>
    public IList<string> RedactedFields { get; } = [];

    /// <summary>Divergence samples held for the control plane at most; further ones are dropped and counted until the link takes them.</summary>
    public int SampleCapacity { get; set; } = 100;
}
