using Cutover.Core.Security;
using Cutover.Core.State;

namespace Cutover.Store.Tests;

/// <summary>The admin API's tokens, on every engine.</summary>
public abstract partial class ControlStoreContract
{
    [Fact]
    public async Task GetTokenSecretAsync_MadeOnce_IsTheSameForEveryStoreOnTheDatabase()
    {
        var first = (ITokenStore)await OpenAsync();
        var second = (ITokenStore)await OpenAsync();

        var secrets = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).GetTokenSecretAsync()));

        Assert.Equal(AccessToken.SecretBytes, secrets[0].Length);
        Assert.All(secrets, s => Assert.Equal(secrets[0], s));
    }

    [Fact]
    public async Task AddTokenAsync_StoresTheRecordWithAnAuditRow_AndRefusesASecondOfTheSameName()
    {
        var store = (ITokenStore)await OpenAsync();
        var expires = StartInMilliseconds.AddDays(30);
        var token = new TokenRecord("ci-deploy", AdminRole.Operator, "cut_Ab12Cd34", new string('a', 64), Time.GetUtcNow(), expires, ["orders", "billing"], "root");

        Assert.True(await store.AddTokenAsync(token, "pipeline"));
        Assert.False(await store.AddTokenAsync(token with { Hash = new string('b', 64) }, "again"));

        var stored = Assert.Single(await store.GetTokensAsync());
        Assert.Equal(token with { CreatedAt = StartInMilliseconds, Migrations = null }, stored with { Migrations = null });
        Assert.Equal(["orders", "billing"], stored.Migrations!);
        var audit = Assert.Single(await ((IControlStore)store).GetAuditAsync(new AuditQuery(null, 10, null)));
        Assert.Equal(
            ("token-create", "root", string.Empty, "token=ci-deploy role=operator prefix=cut_Ab12Cd34 migrations=orders,billing expires=2025-03-31T12:00:00Z", "pipeline"),
            (audit.Action, audit.Actor, audit.Migration, audit.After, audit.Reason));
    }

    [Fact]
    public async Task RevokeTokenAsync_DeletesItWithAnAuditRow_AndSaysWhenThereIsNone()
    {
        var store = (ITokenStore)await OpenAsync();
        await store.AddTokenAsync(new TokenRecord("dash", AdminRole.Viewer, "cut_Xy98Zw76", new string('c', 64), Time.GetUtcNow(), null, null, "root"), string.Empty);

        Assert.True(await store.RevokeTokenAsync("dash", "root", "leaked"));
        Assert.False(await store.RevokeTokenAsync("dash", "root", "twice"));

        Assert.Empty(await store.GetTokensAsync());
        var audit = (await ((IControlStore)store).GetAuditAsync(new AuditQuery(null, 10, null)))[0];
        Assert.Equal(("token-revoke", "root", "token=dash role=viewer prefix=cut_Xy98Zw76", "leaked"), (audit.Action, audit.Actor, audit.Before, audit.Reason));
    }
}
