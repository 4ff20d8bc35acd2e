using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;
using Cutover.Server.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Cutover.Server.Notifications;

/// <summary>
/// Delivers one event to one webhook: POSTs the body, and retries what a retry can fix (no
/// connection, no answer within the timeout, a 5xx, a 429) after 1, 2, 4 ... seconds, at most
/// <see cref="MaxDelay"/>. A 429 or 503 that names a longer wait (Retry-After) gets it, within
/// the same limit. Other answers (a 4xx: wrong URL, credentials or format) would be the same on
/// every retry, so they are logged and not retried; so is a receiver whose address webhooks may
/// not reach, which the client's <see cref="WebhookConnector"/> refuses before connecting. The
/// retries are a Polly retry strategy deciding on each attempt's result; waits run on the host's clock.
/// </summary>
/// <param name="client">The notifier's own client.</param>
/// <param name="time">The host's clock, for timeouts and backoff.</param>
/// <param name="firstRetryDelay">The wait before the first retry; each next one doubles.</param>
/// <param name="logger">Where give-ups and refusals are logged.</param>
internal sealed class WebhookSender(HttpClient client, TimeProvider time, TimeSpan firstRetryDelay, ILogger logger)
{
    /// <summary>The longest wait between two attempts, whatever the backoff or the receiver's Retry-After says.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    private const int DetailBytes = 200;

    /// <summary>The wait before retry number <paramref name="retry"/> (from 1): <paramref name="first"/> doubled each time, at most <see cref="MaxDelay"/>.</summary>
    public static TimeSpan Backoff(int retry, TimeSpan first) =>
        TimeSpan.FromMilliseconds(Math.Min(first.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1)), MaxDelay.TotalMilliseconds));

    /// <summary>Delivers with retries; true when the receiver took it. Never throws but for <paramref name="stopping"/>.</summary>
    public async Task<bool> SendAsync(WebhookDefinition webhook, WebhookCounters counters, PendingEvent pending, CancellationToken stopping)
    {
        var kind = pending.Event.Kind.ToWire();
        try
        {
            var body = WebhookPayload.For(webhook.Format, pending.Event, pending.Id);
            var result = await Retries(webhook, counters, pending).ExecuteAsync(
                async (body, cancellationToken) => await AttemptAsync(webhook, pending, body, cancellationToken), body, stopping);
            if (result.Delivered)
            {
                return true;
            }

            if (result.TargetRefused)
            {
                CutoverLog.WebhookTargetRefused(logger, webhook.Description, kind, pending.Event.Migration, pending.Id, result.Reason);
            }
            else if (!result.Retryable)
            {
                CutoverLog.WebhookRefused(logger, webhook.Description, kind, pending.Event.Migration, pending.Id, result.Reason);
            }
            else
            {
                CutoverLog.WebhookGaveUp(logger, webhook.Description, kind, pending.Event.Migration, pending.Id, webhook.Retries + 1, result.Reason);
            }

            return false;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            CutoverLog.WebhookFault(logger, webhook.Description, kind, pending.Event.Migration, pending.Id, e);
            return false;
        }
    }

    /// <summary>
    /// Retries an attempt that a retry can fix, <see cref="WebhookDefinition.Retries"/> times, after
    /// <see cref="Backoff"/> or the receiver's longer Retry-After (at most <see cref="MaxDelay"/>),
    /// waiting on the host's clock; each retry is logged and counted.
    /// </summary>
    private ResiliencePipeline<Attempt> Retries(WebhookDefinition webhook, WebhookCounters counters, PendingEvent pending)
    {
        var builder = new ResiliencePipelineBuilder<Attempt> { TimeProvider = time };
        if (webhook.Retries == 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<Attempt>
        {
            MaxRetryAttempts = webhook.Retries,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Retryable: true }),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber + 1, args.Outcome.Result!.RetryAfter)),
            OnRetry = args =>
            {
                CutoverLog.WebhookAttemptFailed(logger, webhook.Description, args.AttemptNumber + 1, pending.Event.Kind.ToWire(), pending.Event.Migration, pending.Id,
                    args.Outcome.Result!.Reason, args.RetryDelay);
                counters.CountRetry();
                return default;
            },
        }).Build();
    }

    /// <summary>The wait before retry number <paramref name="retry"/>: the backoff, or the receiver's Retry-After when it asks for longer, at most <see cref="MaxDelay"/>.</summary>
    private TimeSpan Delay(int retry, TimeSpan? retryAfter)
    {
        var delay = Backoff(retry, firstRetryDelay);
        return retryAfter is { } asked && asked > delay ? (asked < MaxDelay ? asked : MaxDelay) : delay;
    }

    private async Task<Attempt> AttemptAsync(WebhookDefinition webhook, PendingEvent pending, byte[] body, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(webhook.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("X-Cutover-Event", pending.Event.Kind.ToWire());
        request.Headers.TryAddWithoutValidation("X-Cutover-Event-Id", pending.Id);
        foreach (var (name, value) in webhook.Headers)
        {
            // Content-Language and its kind belong to the content; HttpClient refuses them among the request's headers.
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return new Attempt(true, false, string.Empty, null);
            }

            var detail = await DetailAsync(response, linked.Token);
            var reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}{detail}");
            var retryable = status == 429 || status >= 500;
            return new Attempt(false, retryable, reason, retryable ? RetryAfter(response) : null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return new Attempt(false, true, $"no answer within {Format(webhook.Timeout)}", null);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetException refused)
        {
            // Where the name points is the configuration's doing, not a passing fault: a retry would be refused the same.
            return new Attempt(false, false, refused.Message, null) { TargetRefused = true };
        }
        catch (HttpRequestException e)
        {
            return new Attempt(false, true, e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message, null);
        }
    }

    /// <summary>The start of the receiver's answer, which often says what is wrong (Slack: "invalid_token", "no_service").</summary>
    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[DetailBytes];
            var read = 0;
            int chunk;
            while (read < buffer.Length && (chunk = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += chunk;
            }

            var text = string.Join(' ', Encoding.UTF8.GetString(buffer, 0, read).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length == 0 ? string.Empty : $" \"{text}\"";
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return string.Empty;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    private static string Format(TimeSpan span) => span.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.###}ms");

    private sealed record Attempt(bool Delivered, bool Retryable, string Reason, TimeSpan? RetryAfter)
    {
        /// <summary>Whether the receiver's address was refused before connecting (<see cref="WebhookConnector"/>).</summary>
        public bool TargetRefused { get; init; }
    }
}
