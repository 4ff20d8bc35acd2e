using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using RpcFleet.V1;

namespace RpcFleet;

/// <summary>
/// The fleet's clients: one Grpc.Net.Client channel to an address (Cutover's), calling each of the
/// twelve services' <c>Get</c> in turn, counting the calls that succeeded and failed and which
/// version answered each service last (the <c>fleet-version</c> trailer).
/// </summary>
public sealed class FleetCalls : IDisposable
{
    private static readonly Marshaller<Request> Requests = Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), Request.Parser.ParseFrom);
    private static readonly Marshaller<Reply> Replies = Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), Reply.Parser.ParseFrom);

    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly Dictionary<string, Method<Request, Reply>> _methods;
    private readonly ConcurrentDictionary<string, string> _lastVersion = new(StringComparer.Ordinal);
    private long _succeeded;
    private long _failed;
    private string? _firstFailure;

    /// <summary>Clients of the fleet at <paramref name="address"/>, over h2c for an http address.</summary>
    public FleetCalls(Uri address)
    {
        _channel = GrpcChannel.ForAddress(address);
        _invoker = _channel.CreateCallInvoker();
        _methods = Fleet.Services.ToDictionary(s => s, s => new Method<Request, Reply>(MethodType.Unary, $"{Fleet.Package}.{s}", "Get", Requests, Replies), StringComparer.Ordinal);
    }

    /// <summary>Calls that succeeded.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Calls that failed (any status but OK, or no answer).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first failed call: the service and its status, or null.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>The version (1 legacy, 2 candidate) that answered each service's last successful call.</summary>
    public IReadOnlyDictionary<string, string> LastVersion => _lastVersion;

    /// <summary>Calls <paramref name="service"/>'s Get for <paramref name="id"/> and returns the reply and the version that answered; a failed call throws its <see cref="RpcException"/>.</summary>
    public async Task<(Reply Reply, string Version)> CallAsync(string service, string id, CancellationToken cancellationToken)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        using var call = _invoker.AsyncUnaryCall(_methods[service], null, options, new Request { Id = id });
        var reply = await call.ResponseAsync;
        return (reply, call.GetTrailers().GetValue("fleet-version") ?? "?");
    }

    /// <summary>Calls every service in turn, <paramref name="perSecond"/> calls a second in all, until cancelled; counts each call.</summary>
    public async Task RunAsync(int perSecond, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromSeconds(1.0 / perSecond);
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var service = Fleet.Services[i % Fleet.Services.Count];
            try
            {
                var (_, version) = await CallAsync(service, $"item-{i % 100}", cancellationToken);
                _lastVersion[service] = version;
                Interlocked.Increment(ref _succeeded);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstFailure, $"{Fleet.Package}.{service}: {e.StatusCode}", null);
            }
            catch (RpcException)
            {
                return;
            }

            try
            {
                await Task.Delay(pause, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One line of the counts so far, as the walkthrough prints them.</summary>
    public string Summary()
    {
        var onCandidate = _lastVersion.Count(v => v.Value == "2");
        return string.Create(CultureInfo.InvariantCulture,
            $"calls: {Succeeded} ok, {Failed} failed{(FirstFailure is { } first ? $" (first: {first})" : string.Empty)}; services answered by the candidate: {onCandidate} of {Fleet.Services.Count}");
    }

    public void Dispose() => _channel.Dispose();
}
