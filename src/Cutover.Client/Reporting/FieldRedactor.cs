using System.Text;
using Cutover.Client.Setup;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Reporting;

/// <summary>
/// The default redactor: masks the <see cref="RedactedByDefault.Fields"/> and the JSON properties
/// named in <see cref="CutoverClientOptions.RedactedFields"/> at any depth, ignoring case, with the
/// proxy's <see cref="Redaction"/>, so a field is redacted by the same rule in both. A result that
/// is not JSON is withheld when fields are named, or when it mentions a redacted name.
/// </summary>
internal sealed class FieldRedactor(IOptions<CutoverClientOptions> options) : IResultRedactor
{
    private readonly Redaction _redaction = new([], options.Value.RedactedFields, []);

    public string Redact(string migration, string result) => _redaction.Body(Encoding.UTF8.GetBytes(result), "application/json", truncated: false).Text;

    public Difference Redact(string migration, Difference difference) => _redaction.Difference(difference);
}
