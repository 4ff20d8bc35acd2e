using Cutover.Store;

namespace Cutover.Backfill.Tests.Infrastructure;

/// <summary>A real store whose N-th checkpoint write fails, as a crash between a batch's commit and its checkpoint would.</summary>
internal sealed class LosingStore(IBackfillStore inner, int failSave) : IBackfillStore
{
    private int _saves;

    public string Description => inner.Description;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default) => inner.TryLeaseAsync(name, holder, term, cancellationToken);

    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(name, holder, cancellationToken);

    public Task<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken = default) => inner.GetLeaseHolderAsync(name, cancellationToken);

    public Task<BackfillRecord?> GetBackfillAsync(string name, CancellationToken cancellationToken = default) => inner.GetBackfillAsync(name, cancellationToken);

    public Task<IReadOnlyList<BackfillRecord>> GetBackfillsAsync(CancellationToken cancellationToken = default) => inner.GetBackfillsAsync(cancellationToken);

    public Task SaveBackfillAsync(BackfillRecord record, CancellationToken cancellationToken = default) =>
        ++_saves == failSave ? throw new StoreUnavailableException("the store went away") : inner.SaveBackfillAsync(record, cancellationToken);

    public Task SaveBackfillVerifyAsync(string job, string verify, CancellationToken cancellationToken = default) => inner.SaveBackfillVerifyAsync(job, verify, cancellationToken);

    public Task SplitBackfillAsync(string job, IReadOnlyList<BackfillRange> ranges, CancellationToken cancellationToken = default) => inner.SplitBackfillAsync(job, ranges, cancellationToken);

    public Task<IReadOnlyList<BackfillRange>> GetBackfillRangesAsync(string job, CancellationToken cancellationToken = default) => inner.GetBackfillRangesAsync(job, cancellationToken);

    public Task<BackfillRange?> ClaimBackfillRangeAsync(string job, string holder, TimeSpan term, CancellationToken cancellationToken = default) =>
        inner.ClaimBackfillRangeAsync(job, holder, term, cancellationToken);

    public Task<bool> SaveBackfillRangeAsync(BackfillRange range, TimeSpan term, CancellationToken cancellationToken = default) => inner.SaveBackfillRangeAsync(range, term, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
