namespace Cutover.Backfill.Transforms;

/// <summary>
/// One mapped row as <see cref="IRowTransform"/> sees it: the value of each target column, by the
/// target column's name, as the source database returned it (a SQLite integer is a <see cref="long"/>,
/// SQL NULL is null). Set a value to what the target column should get; it is converted to the
/// column's type as a mapped value would be.
/// </summary>
public sealed class MappedRow
{
    private readonly IReadOnlyList<string> _columns;
    private readonly IReadOnlyList<int> _keyColumns;
    private readonly object?[] _values;

    internal MappedRow(IReadOnlyList<string> columns, IReadOnlyList<int> keyColumns, object?[] values)
    {
        _columns = columns;
        _keyColumns = keyColumns;
        _values = values;
    }

    /// <summary>The target columns, in the job's order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The row's key values (the target columns the source key is copied to), in key order.</summary>
    public IReadOnlyList<object?> Key => [.. _keyColumns.Select(i => _values[i])];

    /// <summary>
    /// The value of target column <paramref name="column"/> (names ignore case). Key columns cannot
    /// be set: batches are paged and upserted by the key, so a changed key would skip or repeat rows.
    /// </summary>
    public object? this[string column]
    {
        get => _values[IndexOf(column)];
        set
        {
            var index = IndexOf(column);
            if (_keyColumns.Contains(index))
            {
                throw new InvalidOperationException(
                    $"Column '{_columns[index]}' is part of the key, which a transform cannot change (batches are paged and upserted by it); map the new key in columns instead.");
            }

            _values[index] = value;
        }
    }

    private int IndexOf(string column)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (string.Equals(_columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"The job maps no target column '{column}'; its columns are {string.Join(", ", _columns)}.");
    }
}
