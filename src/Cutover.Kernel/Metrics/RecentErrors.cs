namespace Cutover.Kernel.Metrics;

/// <summary>
/// The last few failed requests of a migration, for the failure report of a rollback. Only the
/// error path writes here, so a healthy request pays nothing for it.
/// </summary>
public sealed class RecentErrors
{
    /// <summary>How many are kept.</summary>
    public const int Capacity = 20;

    private readonly RecentError?[] _errors = new RecentError?[Capacity];
    private readonly Lock _gate = new();
    private long _next;

    /// <summary>Keeps an error, dropping the oldest when full.</summary>
    public void Add(RecentError error)
    {
        lock (_gate)
        {
            _errors[_next % Capacity] = error;
            _next++;
        }
    }

    /// <summary>The kept errors, newest first.</summary>
    public IReadOnlyList<RecentError> Newest()
    {
        lock (_gate)
        {
            var list = new List<RecentError>(Capacity);
            for (var i = _next - 1; i >= Math.Max(0, _next - Capacity); i--)
            {
                list.Add(_errors[i % Capacity]!);
            }

            return list;
        }
    }
}
