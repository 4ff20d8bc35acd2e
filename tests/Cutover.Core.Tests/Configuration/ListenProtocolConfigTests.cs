using Cutover.Core.Configuration;
using Cutover.Testing;

namespace Cutover.Core.Tests.Configuration;

public sealed class ListenProtocolConfigTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    [Theory]
    [InlineData("", ListenerProtocol.Http1)]
    [InlineData("listenProtocol: http1", ListenerProtocol.Http1)]
    [InlineData("listenProtocol: h2c", ListenerProtocol.H2c)]
    public void Load_ListenProtocol_IsHttp1ByDefaultAndH2cWhenAsked(string line, ListenerProtocol protocol) =>
        Assert.Equal(protocol, ConfigLoader.Load($"listen: http://127.0.0.1:8080\n{line}\nmigrations: []", "cutover.yaml").ListenProtocol);

    [Fact]
    public void Load_AdminProtocolH2c_IsKeptApartFromTheDataPlanes()
    {
        var definition = ConfigLoader.Load("adminProtocol: h2c\nmigrations: []", "cutover.yaml");

        Assert.Equal(ListenerProtocol.H2c, definition.AdminProtocol);
        Assert.Equal(ListenerProtocol.Http1, definition.ListenProtocol);
    }

    [Theory]
    [InlineData("listenProtocol", "h2")]
    [InlineData("adminProtocol", "http2")]
    public void Load_UnknownProtocol_SaysWhatIsAllowed(string key, string value)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load($"{key}: {value}\nmigrations: []", "cutover.yaml"));

        Assert.Equal(
            $"cutover.yaml: {key}: '{value}' is not a protocol to listen with; use http1 (HTTP/1.1, the default) or h2c (HTTP/2 with prior knowledge only, as gRPC clients send it)",
            Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void Load_H2cOnAnHttpsAddress_IsRefusedNamingTheFix()
    {
        var yaml = $"""
            admin: https://127.0.0.1:8443
            adminProtocol: h2c
            adminTls:
              certificate: {_certificates.CertificateFile}
              key: {_certificates.KeyFile}
            migrations: []
            """;

        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml"));

        Assert.Equal(
            "cutover.yaml: adminProtocol: is h2c, but 'https://127.0.0.1:8443/' is https, where ALPN offers HTTP/2 and HTTP/1.1 to each client; remove adminProtocol, or listen on http://127.0.0.1:8443 for HTTP/2 in clear",
            Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void Settings_ListenProtocolChanged_IsShownWithBothValues()
    {
        var running = ConfigLoader.Load("migrations: []", "cutover.yaml");

        var change = Assert.Single(DefinitionDifferences.Settings(running, ConfigLoader.Load("listenProtocol: h2c\nmigrations: []", "cutover.yaml")));

        Assert.Equal(("listenProtocol", "http1", "h2c"), (change.Field, change.Before, change.After));
    }

    public void Dispose() => _certificates.Dispose();
}
