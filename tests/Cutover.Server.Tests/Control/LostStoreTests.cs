using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Control;

public sealed class LostStoreTests
{
    [Fact]
    public async Task StoreFileDeletedWhileServing_ChangeIs503NamingTheFile_AndReadyzIs503()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 10));
        await proxy.PostAsync("orders", "weight", new { weight = 20, reason = "before the file went" });
        var path = Path.Combine(proxy.Folder, "cutover.db");
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        using var response = await proxy.Admin.PostAsJsonAsync("/api/migrations/orders/weight", new { weight = 30, reason = "after the file went" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains($"its file {path} was deleted while Cutover ran", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await proxy.Admin.GetAsync("/readyz")).StatusCode);
        Assert.Equal(20, (await proxy.MigrationAsync("orders")).Weight.Percent);
    }
}
