namespace Cutover.Core.Configuration;

/// <summary>Checks the <c>telemetry</c> section: its <c>otlp</c> endpoint must be a URL Cutover can post to.</summary>
internal static class TelemetryValidator
{
    /// <summary>Validates <paramref name="telemetry"/> (null when the file has no such section); <paramref name="fail"/> gets (line, key, message).</summary>
    public static TelemetryDefinition? Validate(TelemetryConfig? telemetry, Action<int, string, string> fail)
    {
        if (telemetry is null)
        {
            return null;
        }

        var otlp = ValueRules.HttpUrl(telemetry.Otlp, "otlp",
            "is missing; give the OTLP/HTTP endpoint of your collector (e.g. http://127.0.0.1:4318), or remove the telemetry section to export nothing",
            $"'{telemetry.Otlp}' is not an OTLP endpoint; use the collector's http:// or https:// address for OTLP/HTTP (e.g. http://127.0.0.1:4318), no fragment, and no user:password@",
            (key, message) => fail(telemetry.Line, "telemetry." + key, message));
        return otlp is null ? null : new TelemetryDefinition(otlp);
    }
}
