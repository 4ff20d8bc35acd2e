namespace Cutover.Backfill.Databases;

/// <summary>A table's columns and the column sets that are unique (primary key and unique constraints or indexes).</summary>
/// <param name="SqlName">The table's name as SQL must write it, as the database resolved it (quoted where needed).</param>
/// <param name="Columns">The columns, in table order.</param>
/// <param name="UniqueKeys">Each unique column set (primary key, unique constraints, unique indexes without a WHERE).</param>
public sealed record TableShape(string SqlName, IReadOnlyList<TableColumn> Columns, IReadOnlyList<IReadOnlyList<string>> UniqueKeys)
{
    /// <summary>The column of that name (names ignore case, as unquoted SQL names do), or null.</summary>
    public TableColumn? Find(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
