using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Values;
using Cutover.Kernel.Timing;
using Cutover.Server.Outbound;

namespace Cutover.Server.Rollout;

/// <summary>
/// Sends a smoke step's synthetic requests straight to the candidate, one after another, so a
/// blue-green target proves it answers before any user is sent to it.
/// </summary>
public sealed class SmokeRunner
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

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
            var failure = await SendAsync(target, migration.Backends.Candidate, timeout, cancellationToken);
            if (failure is null)
            {
                succeeded++;
            }
            else
            {
                firstFailure ??= failure;
            }
        }

        return new SmokeResult(step.Requests, succeeded == step.Requests, succeeded, firstFailure);
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
}
