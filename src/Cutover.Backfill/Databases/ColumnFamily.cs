namespace Cutover.Backfill.Databases;

/// <summary>
/// What kind of value a column holds, on either engine: the level at which the schema check
/// compares a source column with its target column and the writer converts values.
/// </summary>
public enum ColumnFamily
{
    /// <summary>Not known (an expression, SQLite's untyped column, or a type this build does not sort).</summary>
    Other,

    /// <summary>Whole numbers.</summary>
    Integer,

    /// <summary>Exact decimals (PostgreSQL numeric, SQLite NUMERIC/DECIMAL).</summary>
    Decimal,

    /// <summary>Floating point numbers.</summary>
    Float,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>Text.</summary>
    Text,

    /// <summary>Points in time.</summary>
    Timestamp,

    /// <summary>Calendar dates.</summary>
    Date,

    /// <summary>UUIDs.</summary>
    Uuid,

    /// <summary>Bytes.</summary>
    Binary,

    /// <summary>JSON documents.</summary>
    Json,
}
