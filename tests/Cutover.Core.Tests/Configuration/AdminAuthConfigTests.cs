using Cutover.Core.Configuration;
using Cutover.Core.Security;

namespace Cutover.Core.Tests.Configuration;

public sealed class AdminAuthConfigTests
{
    [Theory]
    [InlineData("", "http://127.0.0.1:8081", AdminAuthMode.None)]
    [InlineData("adminAuth: none", "http://localhost:8081", AdminAuthMode.None)]
    [InlineData("adminAuth: tokens", "http://127.0.0.1:8081", AdminAuthMode.Tokens)]
    [InlineData("adminAuth: tokens", "http://0.0.0.0:8081", AdminAuthMode.Tokens)]
    public void Load_AdminAuth_IsNoneByDefaultAndTokensWhenAsked(string line, string admin, AdminAuthMode mode) =>
        Assert.Equal(mode, ConfigLoader.Load($"admin: {admin}\n{line}\nmigrations: []", "cutover.yaml").AdminAuth);

    [Theory]
    [InlineData("", "http://0.0.0.0:8081")]
    [InlineData("adminAuth: none", "http://10.1.2.3:8081")]
    [InlineData("", "http://cutover.internal:8081")]
    public void Load_AdminOffLoopbackWithoutTokens_IsRefusedNamingTheFix(string line, string admin)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load($"admin: {admin}\n{line}\nmigrations: []", "cutover.yaml"));

        Assert.Equal(
            $"cutover.yaml: admin: '{admin}' is not a loopback address, so anyone who reaches it could move traffic, and the admin API has no tokens (adminAuth: none); " +
            "set 'adminAuth: tokens' and make the first admin token with `cutover token create NAME --role admin --store STORE`, or listen on http://127.0.0.1:PORT",
            Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void Load_UnknownAdminAuth_SaysWhatIsAllowed()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load("adminAuth: password\nmigrations: []", "cutover.yaml"));

        Assert.Equal("cutover.yaml: adminAuth: 'password' is not a way to authenticate admin callers; use none (loopback admin only) or tokens", Assert.Single(exception.Errors).ToString());
    }
}
