using Cutover.Core.Security;

namespace Cutover.Core.Tests.Security;

public sealed class TokenRequestTests
{
    [Theory]
    [InlineData("30d", 30 * 24.0)]
    [InlineData("12h", 12.0)]
    [InlineData("1h30m", 1.5)]
    public void Parse_Expiry_InDaysOrAsADuration(string expires, double hours)
    {
        var (request, problems) = TokenRequest.Parse("ci", "operator", expires, null);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromHours(hours), request!.ExpiresIn);
    }

    [Fact]
    public void Parse_MigrationsCommaSeparatedOrRepeated_AreOneListWithoutDuplicates()
    {
        var (request, _) = TokenRequest.Parse("ci", "reporter", null, ["orders,billing", "orders", " fx "]);

        Assert.Equal(["orders", "billing", "fx"], request!.Migrations!);
        Assert.Equal(AdminRole.Reporter, request.Role);
        Assert.Null(request.ExpiresIn);
    }

    [Fact]
    public void Parse_EveryProblemAtOnce_EachNamingTheValueAndTheFix()
    {
        var (request, problems) = TokenRequest.Parse("Ci", "root", "0d", ["Orders", "ghost"], ["orders"]);

        Assert.Null(request);
        Assert.Equal(
            [
                "'Ci' is not a token name; use 1 to 63 lowercase letters, digits and dashes, like ci-deploy",
                "'root' is not a role; use viewer, reporter, operator or admin",
                "'0d' is not an expiry; use a number of days like 30d, or a duration like 12h",
                "'Orders' is not a migration name; names are lowercase letters, digits and dashes",
                "'ghost' is not a migration of this Cutover (it serves orders)",
            ],
            problems);
    }

    [Fact]
    public void Parse_EmptyMigrationList_IsAProblemRatherThanEveryMigration() =>
        Assert.Equal(["the migration list is empty; leave it out for a token that may change every migration"], TokenRequest.Parse("ci", "viewer", null, [","]).Problems);
}
