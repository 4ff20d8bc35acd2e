using System.Data.Common;
using System.Globalization;

namespace Cutover.Backfill.Throttling;

/// <summary>Runs a job's <c>throttle.healthQuery</c> on the target and reads its one number.</summary>
internal static class HealthQuery
{
    public static async Task<double> ReadAsync(DbConnection target, string query, CancellationToken cancellationToken)
    {
        await using var command = target.CreateCommand();
        command.CommandText = query;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        try
        {
            return Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new BackfillFailedException(
                $"throttle.healthQuery returned {(value is null or DBNull ? "no value" : $"'{value}'")}, not a number; make it a SELECT whose first column of its first row is a number (e.g. replication lag in seconds).");
        }
    }
}
