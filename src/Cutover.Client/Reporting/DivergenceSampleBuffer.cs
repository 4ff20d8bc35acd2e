using System.Collections.Concurrent;
using Cutover.Client.Setup;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Reporting;

/// <summary>
/// Divergence samples waiting for the control-plane link to send them. Bounded, so a candidate
/// that differs on every call while the control plane is down costs a fixed amount of memory:
/// samples that find it full are dropped and counted, never waited for.
/// </summary>
public sealed class DivergenceSampleBuffer
{
    private readonly ConcurrentQueue<CodeDivergence> _samples = new();
    private readonly int _capacity;
    private int _count;
    private long _dropped;

    /// <summary>A buffer holding at most <see cref="CutoverClientOptions.SampleCapacity"/> samples.</summary>
    public DivergenceSampleBuffer(IOptions<CutoverClientOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.Value.SampleCapacity;
        if (_capacity < 1)
        {
            throw new OptionsValidationException(CutoverClientOptions.Section, typeof(CutoverClientOptions),
                [$"{CutoverClientOptions.Section}:SampleCapacity is {_capacity}: it must be at least 1 (100 by default)."]);
        }
    }

    /// <summary>Samples dropped at a full buffer since the process started; it only grows.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Whether a sample would be kept now: checked before rendering one, so a full buffer costs no rendering.</summary>
    public bool HasRoom => Volatile.Read(ref _count) < _capacity;

    /// <summary>Keeps a sample, or counts it dropped when the buffer is full.</summary>
    public void Add(CodeDivergence sample)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            CountDropped();
            return;
        }

        _samples.Enqueue(sample);
    }

    /// <summary>Counts a sample not made because the buffer was full.</summary>
    public void CountDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>
    /// Takes up to <paramref name="max"/> samples held, oldest first, making room for new ones:
    /// what the link sends in one report. The rest wait for the next.
    /// </summary>
    public IReadOnlyList<CodeDivergence> Drain(int max = int.MaxValue)
    {
        var drained = new List<CodeDivergence>();
        while (drained.Count < max && _samples.TryDequeue(out var sample))
        {
            Interlocked.Decrement(ref _count);
            drained.Add(sample);
        }

        return drained;
    }
}
