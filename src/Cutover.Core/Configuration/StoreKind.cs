namespace Cutover.Core.Configuration;

/// <summary>The engines a control store can run on.</summary>
public enum StoreKind
{
    /// <summary>An embedded SQLite file: the default, for one replica.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for several replicas sharing state.</summary>
    Postgres,
}
