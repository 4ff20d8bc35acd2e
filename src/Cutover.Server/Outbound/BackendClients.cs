using System.Collections.Concurrent;
using Cutover.Core.Routing;
using Cutover.Core.Security;

namespace Cutover.Server.Outbound;

/// <summary>
/// The outbound clients by TLS setting: backends without a <c>tls</c> section share the one plain
/// client, and each distinct <see cref="BackendTls"/> gets one client of its own, made the first
/// time a backend with it is spoken to and kept (with its connection pool) until the host stops.
/// The data plane, shadow copies, noise probes and smoke steps all ask here, so a side is
/// connected to the same way by each.
/// </summary>
internal sealed class BackendClients(HttpMessageInvoker shared, bool traced) : IDisposable
{
    private readonly ConcurrentDictionary<BackendTls, HttpMessageInvoker> _byTls = new();

    /// <summary>The client for a backend with <paramref name="settings"/>.</summary>
    public HttpMessageInvoker For(BackendSettings settings) =>
        settings.Tls is not { } tls ? shared : _byTls.GetOrAdd(tls, static (key, traced) => BackendClient.Create(traced, key), traced);

    /// <summary>Disposes the clients made here; the shared one belongs to the container.</summary>
    public void Dispose()
    {
        foreach (var client in _byTls.Values)
        {
            client.Dispose();
        }
    }
}
