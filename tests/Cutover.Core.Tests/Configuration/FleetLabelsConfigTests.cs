using Cutover.Core.Configuration;
using Cutover.Core.Fleet;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The <c>group</c> and <c>priority</c> labels of a migration, which the fleet summary counts and sorts by.</summary>
public class FleetLabelsConfigTests
{
    [Fact]
    public void Load_GroupAndPriority_AreReadInAnyCaseOfPriority()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    group: payments\n    priority: High"), "c.yaml").Migrations);

        Assert.Equal(("payments", Priority.High), (orders.Group, orders.Priority));
    }

    [Fact]
    public void Load_NoLabels_HasNoGroupAndNormalPriority()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With(string.Empty), "c.yaml").Migrations);

        Assert.Equal((null, Priority.Normal), (orders.Group, orders.Priority));
    }

    [Theory]
    [InlineData("critical", Priority.Critical)]
    [InlineData("high", Priority.High)]
    [InlineData("normal", Priority.Normal)]
    [InlineData("LOW", Priority.Low)]
    public void Load_EveryPriority_IsAccepted(string text, Priority expected) =>
        Assert.Equal(expected, Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    priority: " + text), "c.yaml").Migrations).Priority);

    [Theory]
    [InlineData("group: Payments", "group: 'Payments' is not allowed; use lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. payments)")]
    [InlineData("group: payments_eu", "group: 'payments_eu' is not allowed; use lower-case letters")]
    [InlineData("group: ''", "group: is empty; give the group's name (lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. payments)), or leave the key out for no group")]
    [InlineData("group: [payments]", "group: expected a single value, found a list")]
    [InlineData("priority: urgent", "priority: 'urgent' is not a priority; use critical, high, normal or low (most urgent first), or leave it out for normal")]
    [InlineData("priority: 1", "priority: '1' is not a priority; use critical, high, normal or low")]
    [InlineData("priority: { level: high }", "priority: expected a single value, found a mapping")]
    [InlineData("priorty: high", "priorty: unknown key; did you mean 'priority'?")]
    public void Load_BadLabel_NamesTheMigrationKeyValueAndWhatIsAllowed(string line, string expected)
    {
        var error = OneMigrationFile.SingleError(line);

        Assert.StartsWith("cutover.yaml:", error);
        Assert.Contains("migration 'orders': " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadLabels_AreReportedTogetherAtTheMigrationsLine()
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With("    group: Payments\n    priority: soon"));

        Assert.Equal(
            [
                "cutover.yaml:2: migration 'orders': group: 'Payments' is not allowed; use lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. payments)",
                "cutover.yaml:2: migration 'orders': priority: 'soon' is not a priority; use critical, high, normal or low (most urgent first), or leave it out for normal",
            ],
            errors);
    }
}
