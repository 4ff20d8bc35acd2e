using System.Net.Http.Json;
using Cutover.Core.Configuration;
using Cutover.Kernel.Routing;
using Cutover.Kernel.Security;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Link;

/// <summary>The SDK's link to a control plane whose admin API serves https with a certificate of a private CA.</summary>
public sealed class ControlPlaneLinkTlsTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private CutoverHost? _host;

    private CutoverHost Host => _host!;

    public async Task InitializeAsync() =>
        _host = await CutoverHost.StartAsync(
            ConfigLoader.Load($"""
                listen: http://127.0.0.1:0
                admin: https://127.0.0.1:0
                adminTls:
                  certificate: {_certificates.CertificateFile}
                  key: {_certificates.KeyFile}
                store: sqlite:{Path.Combine(_certificates.Folder, "cutover.db")}
                migrations:
                  - name: billing-tax
                    kind: code
                """, "test.yaml"),
            new CutoverHostOptions { LogLevel = LogLevel.Warning });

    [Fact]
    public async Task StateFollower_HttpsControlPlaneWithCaFile_FollowsTheStateAndReportsResults()
    {
        await using var app = await LinkedApp.StartAsync(Host.AdminAddress, cacheFile: null, configure: o => o.CaFile = _certificates.CaFile);
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Legacy });
        using var admin = new HttpClient((AdminTrust.FromCaFile(_certificates.CaFile, out _) ?? throw new InvalidOperationException()).CreateHandler()) { BaseAddress = Host.AdminAddress };

        using var weight = await admin.PostAsJsonAsync("/api/migrations/billing-tax/weight", new { weight = 30, reason = "first users" });
        weight.EnsureSuccessStatusCode();
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Canary, Weight.Percent: 30 });

        app.Metrics.For("billing-tax").Legacy.Record(1_000, failed: false);
        await app.ReportAsync();
        Assert.Equal((1L, 0L), (app.Status.ReportsSent, app.Status.ReportsDropped));
        Assert.True(app.Status.Connected);
    }

    [Fact]
    public async Task StateFollower_HttpsControlPlaneWithoutCaFile_RefusesItsCertificateAndKnowsNothing()
    {
        await using var app = await LinkedApp.StartAsync(Host.AdminAddress, cacheFile: null);

        for (var waited = 0; app.Status.Reconnects < 2; waited += 10)
        {
            Assert.True(waited < 10_000, "the link did not try twice within 10 s");
            await Task.Delay(10);
        }

        Assert.False(app.Status.Connected);
        Assert.Null(app.Table.Find("billing-tax"));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _certificates.Dispose();
    }
}
