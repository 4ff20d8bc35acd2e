using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

public sealed class TelemetryConfigTests
{
    [Fact]
    public void Load_NoTelemetrySection_ExportsNothing() =>
        Assert.Null(ConfigLoader.Load("migrations: []", "cutover.yaml").Telemetry);

    [Fact]
    public void Load_OtlpEndpoint_IsTheCollectorsAddress()
    {
        var definition = ConfigLoader.Load("telemetry: { otlp: ' http://collector.internal:4318 ' }\nmigrations: []", "cutover.yaml");

        Assert.Equal(new Uri("http://collector.internal:4318"), definition.Telemetry!.Otlp);
    }

    [Theory]
    [InlineData("telemetry: {}",
        "cutover.yaml:1: telemetry.otlp: is missing; give the OTLP/HTTP endpoint of your collector (e.g. http://127.0.0.1:4318), or remove the telemetry section to export nothing")]
    [InlineData("telemetry: { otlp: 'collector:4317' }",
        "cutover.yaml:1: telemetry.otlp: 'collector:4317' is not an OTLP endpoint; use the collector's http:// or https:// address for OTLP/HTTP (e.g. http://127.0.0.1:4318), no fragment, and no user:password@")]
    [InlineData("telemetry: { otlp: 'https://user:secret@collector.example.com' }",
        "cutover.yaml:1: telemetry.otlp: 'https://user:secret@collector.example.com' is not an OTLP endpoint; use the collector's http:// or https:// address for OTLP/HTTP (e.g. http://127.0.0.1:4318), no fragment, and no user:password@")]
    public void Load_BadTelemetry_NamesTheKeyAndTheFix(string section, string error)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(section + "\nmigrations: []", "cutover.yaml"));

        Assert.Equal(error, Assert.Single(exception.Errors).ToString());
    }
}
