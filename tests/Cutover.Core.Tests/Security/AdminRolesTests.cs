using Cutover.Core.Security;

namespace Cutover.Core.Tests.Security;

public sealed class AdminRolesTests
{
    [Theory]
    [InlineData(AdminPermission.Public, "viewer or reporter or operator or admin")]
    [InlineData(AdminPermission.ReadState, "viewer or reporter or operator or admin")]
    [InlineData(AdminPermission.Read, "viewer or operator or admin")]
    [InlineData(AdminPermission.Report, "reporter or admin")]
    [InlineData(AdminPermission.Operate, "operator or admin")]
    [InlineData(AdminPermission.Administer, "admin")]
    public void AllowedFor_EachPermission_NamesTheRolesThatHaveIt(AdminPermission permission, string roles) =>
        Assert.Equal(roles, AdminRoles.AllowedFor(permission));

    [Fact]
    public void TryParse_TakesEachWireNameAndNothingElse()
    {
        foreach (var role in Enum.GetValues<AdminRole>())
        {
            Assert.True(AdminRoles.TryParse(role.ToWire(), out var parsed));
            Assert.Equal(role, parsed);
        }

        Assert.False(AdminRoles.TryParse("Admin", out _));
        Assert.False(AdminRoles.TryParse("root", out _));
        Assert.False(AdminRoles.TryParse(null, out _));
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("[::1]", true)]
    [InlineData("::1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("[::]", false)]
    [InlineData("192.168.1.5", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("cutover.internal", false)]
    public void LoopbackAddress_IsHost_OnlyForThisMachinesLoopback(string host, bool loopback) =>
        Assert.Equal(loopback, LoopbackAddress.IsHost(host));
}
