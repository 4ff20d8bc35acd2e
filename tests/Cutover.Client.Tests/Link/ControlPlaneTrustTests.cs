using Cutover.Client.Setup;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Tests.Link;

/// <summary><c>Cutover:CaFile</c>: bound from configuration, and an application whose file cannot be used does not start.</summary>
public sealed class ControlPlaneTrustTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    [Fact]
    public void AddCutover_CaFileInConfiguration_IsBoundAndAccepted()
    {
        using var client = ClientUnderTest.FromSettings(new Dictionary<string, string?>
        {
            ["Cutover:ControlPlane"] = "https://127.0.0.1:8081",
            ["Cutover:CaFile"] = _certificates.CaFile,
        });

        Assert.Equal(_certificates.CaFile, client.Services.GetRequiredService<IOptions<CutoverClientOptions>>().Value.CaFile);
    }

    [Fact]
    public void AddCutover_CaFileThatCannotBeRead_StopsTheStartNamingTheSettingAndTheFix()
    {
        var missing = Path.Combine(_certificates.Folder, "none.pem");
        var settings = new Dictionary<string, string?> { ["Cutover:ControlPlane"] = "https://127.0.0.1:8081", ["Cutover:CaFile"] = missing };

        var error = Assert.Throws<OptionsValidationException>(() => ClientUnderTest.FromSettings(settings));

        Assert.Equal(
            $"Cutover:CaFile '{missing}' cannot be read as PEM certificates (Could not find file '{missing}'); " +
            "give the PEM file of the certificate authority that issued the control plane's certificate, or leave CaFile out to trust only the system's",
            error.Message);
    }

    public void Dispose() => _certificates.Dispose();
}
