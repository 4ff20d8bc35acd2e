namespace Cutover.Backfill.Databases;

/// <summary>One column of a table as its database describes it.</summary>
/// <param name="Name">The name as the database stores it.</param>
/// <param name="TypeName">The declared type, for messages (e.g. "integer", "character varying(200)").</param>
/// <param name="Family">What kind of value it holds.</param>
/// <param name="Required">Whether an insert must give it a value: NOT NULL without a default.</param>
public sealed record TableColumn(string Name, string TypeName, ColumnFamily Family, bool Required);
