
using Cutover.Testing;

namespace Cutover.Cli.Tests;

/// <summary>
/// <c>cutover serve</c> as a process with an https admin API whose certificate a throwaway CA
/// issued, and the commands that talk to it with and without <c>--ca</c>.
/// </summary>
public sealed class AdminTlsCommandTests : IDisposable
{
    private const string Migrations = """
          - name: billing-tax
            kind: code
        """;

    private const string RelativePem = "adminTls:\n  certificate: server.pem\n  key: server.key";

    private readonly TestCertificates _certificates = TestCertificates.Create();

    [Fact]
    public async Task Status_HttpsAdminWithCa_ShowsTheMigrations()
    {
        var (server, admin) = await ServeAsync(RelativePem);
        using (server)
        {
            var run = await CliRun.RunAsync("status", "--admin", admin.ToString(), "--ca", _certificates.CaFile);

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("billing-tax", run.Out, StringComparison.Ordinal);
            Assert.Contains($"Admin API listening on {admin}", server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_HttpsAdminWithoutCa_SaysTheCertificateIsNotTrustedAndHowToPassTheCa()
    {
        var (server, admin) = await ServeAsync(RelativePem);
        using (server)
        {
            var run = await CliRun.RunAsync("status", "--admin", admin.ToString());

            Assert.Equal(3, run.ExitCode);
            Assert.StartsWith($"error: cannot reach the Cutover admin API at {admin} (its certificate is not trusted: ", run.Error, StringComparison.Ordinal);
            Assert.Contains(
                "). If a private CA issued the admin API's certificate, pass that CA's certificate (PEM) with --ca FILE or CUTOVER_CA; " +
                "--admin must name a host the certificate is issued for.",
                run.Error,
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_HttpsAdminServedFromPfx_WorksWithCa()
    {
        var (server, admin) = await ServeAsync($"adminTls:\n  pfx: server.pfx\n  password: {TestCertificates.PfxPassword}");
        using (server)
        {
            var run = await CliRun.RunAsync("status", "billing-tax", "--admin", admin.ToString(), "--ca", _certificates.CaFile);

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("billing-tax", run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Apply_TheFileServeRunsWith_AppliesWithoutAdminTlsDiffering()
    {
        var (server, admin) = await ServeAsync(RelativePem);
        using (server)
        {
            var run = await CliRun.RunAsync("apply", "-f", Path.Combine(_certificates.Folder, $"cutover-{admin.Port}.yaml"), "--admin", admin.ToString(), "--ca", _certificates.CaFile);

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.DoesNotContain("adminTls", run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_CaFileMissing_SaysSoAndExitsWithBadInput()
    {
        var missing = Path.Combine(_certificates.Folder, "none.pem");

        var run = await CliRun.RunAsync("status", "--admin", $"https://127.0.0.1:{LoopbackPorts.Closed()}", "--ca", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: --ca '{missing}' cannot be read as PEM certificates (Could not find file '{missing}'); give the PEM file of the CA that issued the admin API's certificate{Environment.NewLine}",
            run.Error);
    }

    [Fact]
    public async Task Validate_BadAdminTls_ListsEveryProblemWithTheFixes()
    {
        var config = ServeConfig.Write(_certificates.Folder, new Uri("https://127.0.0.1:8443"), Migrations, "adminTls:\n  certificate: missing.pem\n  key: server.key\n  password: secret");

        var run = await CliRun.RunAsync("validate", "-c", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(
            $"{config}:5: adminTls.certificate: 'missing.pem' cannot be read (Could not find file '{Path.Combine(_certificates.Folder, "missing.pem")}'); " +
            $"give the path of a PEM certificate file (a relative path is read from {_certificates.Folder})",
            run.Error,
            StringComparison.Ordinal);
        Assert.Contains(
            $"{config}:5: adminTls.password: is only used with pfx; give key as an unencrypted PEM file (openssl pkey -in KEY -out PLAIN), or use pfx with its password",
            run.Error,
            StringComparison.Ordinal);
    }

    public void Dispose() => _certificates.Dispose();

    /// <summary>Starts <c>cutover serve</c> on a config in the certificates' folder (so relative paths are read from there, not from the current folder) and waits until its admin API listens.</summary>
    private async Task<(CutoverProcess Server, Uri Admin)> ServeAsync(string settings)
    {
        var admin = new Uri($"https://127.0.0.1:{LoopbackPorts.Closed()}/");
        var server = CutoverProcess.Start("serve", "-c", ServeConfig.Write(_certificates.Folder, admin, Migrations, settings));
        try
        {
            await server.WaitForOutputAsync(output => output.Contains("Admin API listening on", StringComparison.Ordinal) || server.HasExited, TimeSpan.FromSeconds(30));
            Assert.False(server.HasExited, $"cutover serve exited:\n{server.Output}");
            return (server, admin);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }
}
