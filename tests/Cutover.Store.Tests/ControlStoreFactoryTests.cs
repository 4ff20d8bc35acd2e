using Cutover.Store.Opening;
using Cutover.Testing;

namespace Cutover.Store.Tests;

/// <summary>Reading store locations: which form makes which store, and the errors for the rest.</summary>
public sealed class ControlStoreFactoryTests
{
    private readonly ManualWallClock time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("sqlite:cutover.db")]
    [InlineData("sqlite:/var/lib/cutover/state.db")]
    [InlineData("SQLite:cutover.db")]
    public async Task Create_SqliteLocation_DescribesItAsWritten(string location)
    {
        await using var store = ControlStoreFactory.Create(location, time);

        Assert.Equal(location, store.Description);
    }

    [Theory]
    [InlineData("Host=db.internal;Port=5433;Username=cutover;Password=hunter2;Database=control", "postgresql://cutover@db.internal:5433/control")]
    [InlineData("host = db.internal; username=cutover; password=hunter2", "postgresql://cutover@db.internal:5432/cutover")]
    [InlineData("Database=control;Host=db.internal", "postgresql://db.internal:5432/control")]
    public async Task Create_PostgresConnectionString_DescribesItWithoutPassword(string location, string description)
    {
        await using var store = ControlStoreFactory.Create(location, time);

        Assert.Equal(description, store.Description);
    }

    [Theory]
    [InlineData("cutover.db")]
    [InlineData("postgres://cutover@db/control")]
    [InlineData("")]
    public void Create_NeitherForm_ThrowsNamingTheLocationAndBothForms(string location)
    {
        var error = Assert.Throws<StoreUnavailableException>(() => ControlStoreFactory.Create(location, time));

        Assert.Contains($"The store location '{location}' is not a store; use sqlite:PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite:PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host=127.0.0.1;Port=5432", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NeitherFormWithPassword_HidesThePassword()
    {
        var error = Assert.Throws<StoreUnavailableException>(() => ControlStoreFactory.Create("Server=db;Password=hunter2;Database=x", time));

        Assert.Contains("'Server=db;Password=***;Database=x'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite:")]
    [InlineData("sqlite::memory:")]
    public void Create_SqliteWithoutFile_ThrowsNamingTheLocation(string location)
    {
        var error = Assert.Throws<StoreUnavailableException>(() => ControlStoreFactory.Create(location, time));

        Assert.StartsWith($"The store location '{location}' names no SQLite file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PostgresWithUnknownKeyword_ThrowsWithoutPassword()
    {
        var error = Assert.Throws<StoreUnavailableException>(() => ControlStoreFactory.Create("Host=db;Password=hunter2;Colour=blue", time));

        Assert.StartsWith("The store location 'Host=db;Password=***;Colour=blue' is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
