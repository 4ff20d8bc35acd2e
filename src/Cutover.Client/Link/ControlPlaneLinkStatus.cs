namespace Cutover.Client.Link;

/// <summary>
/// How the link to the control plane is doing, for the application's own health checks and
/// metrics: whether the state stream is up, and what was lost while it was not. Nothing here
/// ever blocks; results that could not be sent are dropped and counted here rather than kept.
/// </summary>
public sealed class ControlPlaneLinkStatus
{
    private long _connected;
    private long _stateChanges;
    private long _reconnects;
    private long _reportsSent;
    private long _reportsDropped;
    private long _callsDropped;
    private long _samplesSent;
    private long _samplesDropped;
    private long _cacheFailures;

    /// <summary>Whether the state stream (<c>GET /api/events</c>) is open now.</summary>
    public bool Connected => Interlocked.Read(ref _connected) == 1;

    /// <summary>Full states and changes applied to the migration table from the control plane.</summary>
    public long StateChanges => Interlocked.Read(ref _stateChanges);

    /// <summary>Times the stream dropped or could not be opened and was tried again.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Reports the control plane accepted.</summary>
    public long ReportsSent => Interlocked.Read(ref _reportsSent);

    /// <summary>Reports dropped because the control plane could not be reached or refused them.</summary>
    public long ReportsDropped => Interlocked.Read(ref _reportsDropped);

    /// <summary>Calls (both sides) whose counts were in dropped reports, or ran in a migration the control plane does not know.</summary>
    public long CallsDropped => Interlocked.Read(ref _callsDropped);

    /// <summary>Divergence samples the control plane accepted.</summary>
    public long SamplesSent => Interlocked.Read(ref _samplesSent);

    /// <summary>
    /// Divergence samples lost: dropped at a full buffer (added at each report), in dropped reports,
    /// or of a migration the control plane does not know.
    /// </summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    /// <summary>Times the last known state could not be written to or read from the cache file.</summary>
    public long CacheFailures => Interlocked.Read(ref _cacheFailures);

    internal void SetConnected(bool connected) => Interlocked.Exchange(ref _connected, connected ? 1 : 0);

    internal void StateChanged() => Interlocked.Increment(ref _stateChanges);

    internal void Reconnecting() => Interlocked.Increment(ref _reconnects);

    internal void ReportSent(int samples)
    {
        Interlocked.Increment(ref _reportsSent);
        Interlocked.Add(ref _samplesSent, samples);
    }

    internal void ReportDropped(long calls, int samples)
    {
        Interlocked.Increment(ref _reportsDropped);
        Interlocked.Add(ref _callsDropped, calls);
        Interlocked.Add(ref _samplesDropped, samples);
    }

    internal void SamplesNotReported(long samples) => Interlocked.Add(ref _samplesDropped, samples);

    internal void CallsNotReported(long calls) => Interlocked.Add(ref _callsDropped, calls);

    internal void CacheFailed() => Interlocked.Increment(ref _cacheFailures);
}
