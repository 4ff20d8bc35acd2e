using System.Net.Http.Headers;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Values;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Timing;
using Cutover.Server.Outbound;

namespace Cutover.Server.Rollout;

/// <summary>
/// Sends a smoke step's synthetic requests straight to the candidate, one after another, so a
/// blue-green target proves it answers before any user is sent to it: GETs of a path, or unary
/// gRPC calls of a method with an empty request.
/// </summary>
public sealed class SmokeRunner
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    // A gRPC message of length 0, uncompressed: the empty request every proto3 message accepts.
    private static readonly byte[] EmptyGrpcMessage = new byte[5];

    private readonly BackendClients _clients;

    /// <summary>A runner sending through <paramref name="clients"/>, the candidate's client as the data plane's.</summary>
    internal SmokeRunner(BackendClients clients) => _clients = clients;

    /// <summary>Runs the step's requests against the migration's candidate.</summary>
    public async Task<SmokeResult> RunAsync(MigrationDefinition migration, SmokeStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(step);
        var target = new Uri(migration.Candidate, step.Path.TrimStart('/'));
        var timeout = migration.CandidateTimeout < LongestWait ? migration.CandidateTimeout : LongestWait;
        var succeeded = 0;
        string? firstFailure = null;
        for (var i = 0; i < step.Requests; i++)
        {
            var failure = step.GrpcMethod is { } method
                ? await CallAsync(target, method, migration.Backends.Candidate, timeout, cancellationToken)
                : await SendAsync(target, migration.Backends.Candidate, timeout, cancellationToken);
            if (failure is null)
            {
                succeeded++;
            }
            else
            {
                firstFailure ??= failure;
            }
        }

        return new SmokeResult(step.Requests, succeeded == step.Requests, succeeded, firstFailure) { Grpc = step.GrpcMethod is not null };
    }

    private async Task<string?> SendAsync(Uri target, BackendSettings backend, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = IoDeadline.After(timeout, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target).Speaking(backend.Protocol);
            request.Headers.Add("User-Agent", "cutover-smoke");
            using var response = await _clients.For(backend).SendAsync(request, attempt.Token);
            return (int)response.StatusCode < 400 ? null : $"{(int)response.StatusCode} from GET {target.PathAndQuery}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer from GET {target.PathAndQuery} within {Duration.Format(timeout)}";
        }
        catch (HttpRequestException e)
        {
            return $"GET {target.PathAndQuery} failed: {(TransportFailure.Explain(e) is { } why ? "the candidate " + why : e.Message)}";
        }
    }

    /// <summary>One unary call as a gRPC client makes it: a POST of one empty message over HTTP/2, judged by its <c>grpc-status</c> (a header of a trailers-only answer, else a trailer).</summary>
    private async Task<string?> CallAsync(Uri target, string method, BackendSettings backend, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = IoDeadline.After(timeout, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target).Speaking(backend.Protocol);
            request.Headers.Add("User-Agent", "cutover-smoke");
            request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
            request.Content = new ByteArrayContent(EmptyGrpcMessage);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            using var response = await _clients.For(backend).SendAsync(request, attempt.Token);
            await response.Content.CopyToAsync(Stream.Null, attempt.Token);
            if ((int)response.StatusCode != 200)
            {
                return $"HTTP {(int)response.StatusCode} from gRPC {method}";
            }

            var status = GrpcStatusCodes.FromHeader(First(response.Headers) ?? First(response.TrailingHeaders));
            return status switch
            {
                0 => null,
                null => $"no grpc-status from gRPC {method} (is the candidate a gRPC service speaking HTTP/2? set its protocol: h2c or h2)",
                _ => $"grpc-status {GrpcStatusCodes.Name(status.Value)} from gRPC {method}",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer from gRPC {method} within {Duration.Format(timeout)}";
        }
        catch (HttpRequestException e)
        {
            return $"gRPC {method} failed: {(TransportFailure.Explain(e) is { } why ? "the candidate " + why : e.Message)}";
        }
    }

    private static string? First(HttpHeaders headers) =>
        headers.NonValidated.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;
}
