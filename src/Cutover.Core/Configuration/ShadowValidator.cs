using System.Globalization;
using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>shadow</c> section and builds its <see cref="ShadowPolicy"/>. The
/// limits are checked against each other too: a queue budget that cannot hold one copy would
/// drop copies without a word in the file.
/// </summary>
internal static class ShadowValidator
{
    private const long MaxBufferBytes = 256L * 1024 * 1024;
    private const long MaxQueuedBytes = 64L * 1024 * 1024 * 1024;

    /// <summary>Validates <paramref name="shadow"/>; <paramref name="fail"/> gets (key, message), all on the section's line.</summary>
    public static ShadowPolicy Validate(ShadowConfig shadow, Action<string, string> fail)
    {
        var defaults = ShadowPolicy.Default;
        var percent = shadow.Percent ?? defaults.Percent;
        if (percent is < 0 or > 100)
        {
            fail("shadow.percent", string.Create(CultureInfo.InvariantCulture, $"{percent} is outside 0..100; use the percentage of eligible requests to mirror"));
        }

        var methods = shadow.Methods is null ? defaults.Methods : ValueRules.Methods(shadow.Methods, "shadow.methods", fail).ToHashSet(StringComparer.Ordinal);
        var maxBody = ValueRules.WholeNumber(shadow.MaxBodyBytes, defaults.MaxBodyBytes, 0, MaxBufferBytes, "shadow.maxBodyBytes", "bytes of request body buffered for a copy", fail);
        var maxResponse = ValueRules.WholeNumber(shadow.MaxResponseBytes, defaults.MaxResponseBytes, 1024, MaxBufferBytes, "shadow.maxResponseBytes", "bytes of each answer captured", fail);
        var timeout = ValueRules.Timeout(shadow.Timeout, defaults.Timeout, "shadow.timeout", fail);
        var concurrency = ValueRules.WholeNumber(shadow.Concurrency, defaults.Concurrency, 1, 1024, "shadow.concurrency", "copies sent at once", fail);
        var queueSize = ValueRules.WholeNumber(shadow.QueueSize, defaults.QueueSize, 1, 1_000_000, "shadow.queueSize", "copies waiting to be sent", fail);
        // Unset, the budget still holds at least one copy of the largest size the other limits allow.
        var maxQueued = ValueRules.WholeNumber(shadow.MaxQueuedBytes, Math.Max(defaults.MaxQueuedBytes, maxBody + maxResponse), 1024 * 1024, MaxQueuedBytes, "shadow.maxQueuedBytes", "bytes the queued copies may hold", fail);
        if (shadow.MaxQueuedBytes is not null && maxQueued < maxBody + maxResponse)
        {
            // A budget smaller than one full copy would drop every copy of a large request or answer without a word in the file.
            fail("shadow.maxQueuedBytes", string.Create(CultureInfo.InvariantCulture,
                $"{maxQueued} is less than one copy may hold (maxBodyBytes {maxBody} + maxResponseBytes {maxResponse} = {maxBody + maxResponse}); raise it, or lower those limits"));
        }

        var redaction = defaults.Redaction;
        if (shadow.Redact is { } redact)
        {
            foreach (var name in redact.Headers.Where(h => !ValueRules.IsHeaderName(h)))
            {
                fail("shadow.redact.headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. X-Api-Key)");
            }

            var names = new List<string>();
            var paths = new List<JsonPathPattern>();
            foreach (var field in redact.Fields)
            {
                if (!field.StartsWith('$'))
                {
                    if (field.Trim().Length == 0)
                    {
                        fail("shadow.redact.fields", "an empty entry; give a property name such as password, or a path such as $.card.number");
                    }
                    else
                    {
                        names.Add(field.Trim());
                    }
                }
                else if (JsonPathPattern.TryParse(field, out var pattern, out var error))
                {
                    paths.Add(pattern!);
                }
                else
                {
                    fail("shadow.redact.fields", $"'{field}' is not a JSON path: {error}; use a property name such as password, or {JsonPathPattern.AllowedForms}");
                }
            }

            redaction = new Redaction(redact.Headers, names, paths);
        }

        return new ShadowPolicy(percent, methods, maxBody, maxResponse, timeout, shadow.NoiseProbe ?? defaults.NoiseProbe,
            shadow.AlsoInCanary ?? defaults.AlsoInCanary, (int)concurrency, (int)queueSize, maxQueued, redaction);
    }
}
