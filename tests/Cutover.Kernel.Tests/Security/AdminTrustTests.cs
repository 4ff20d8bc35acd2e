using Cutover.Kernel.Security;
using Cutover.Testing;

namespace Cutover.Kernel.Tests.Security;

/// <summary>Reading a CA file; the handshakes it judges are in the server tests, against a real https admin API.</summary>
public sealed class AdminTrustTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    [Fact]
    public void FromCaFile_PemCertificate_TrustsItBesidesTheSystem()
    {
        var trust = AdminTrust.FromCaFile(_certificates.CaFile, out var problem);

        Assert.Null(problem);
        Assert.Equal(_certificates.CaFile, trust!.CaFile);
        Assert.Null(trust.Refusal);
    }

    [Fact]
    public void FromCaFile_MissingFile_SaysItCannotBeRead()
    {
        var missing = Path.Combine(_certificates.Folder, "none.pem");

        Assert.Null(AdminTrust.FromCaFile(missing, out var problem));
        Assert.Equal($"'{missing}' cannot be read as PEM certificates (Could not find file '{missing}')", problem);
    }

    [Fact]
    public void FromCaFile_FileWithoutCertificate_SaysItHoldsNone()
    {
        Assert.Null(AdminTrust.FromCaFile(_certificates.KeyFile, out var problem));
        Assert.Equal($"'{_certificates.KeyFile}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block)", problem);
    }

    public void Dispose() => _certificates.Dispose();
}
