using System.Globalization;
using Cutover.Core.Configuration;
using Microsoft.AspNetCore.Builder;

namespace Cutover.Server.Demo;

/// <summary>
/// What <c>cutover demo</c> runs besides Cutover itself: the two sample backends and a config
/// file for them in a temporary folder, with a fresh SQLite store next to it.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly WebApplication _legacy;
    private readonly WebApplication _candidate;

    private DemoEnvironment(WebApplication legacy, WebApplication candidate, string folder, CutoverDefinition definition)
    {
        _legacy = legacy;
        _candidate = candidate;
        Folder = folder;
        Definition = definition;
    }

    /// <summary>The temporary folder holding the config and the store.</summary>
    public string Folder { get; }

    /// <summary>The config file written for the demo.</summary>
    public string ConfigPath => Path.Combine(Folder, "cutover.yaml");

    /// <summary>The validated demo config.</summary>
    public CutoverDefinition Definition { get; }

    /// <summary>The legacy backend's address.</summary>
    public string LegacyAddress => _legacy.Urls.First();

    /// <summary>The candidate backend's address.</summary>
    public string CandidateAddress => _candidate.Urls.First();

    /// <summary>Starts the backends and writes the config for a proxy on the given addresses.</summary>
    public static async Task<DemoEnvironment> StartAsync(Uri listen, Uri admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(admin);
        var legacy = await OrdersApi.StartAsync(rewrite: false, cancellationToken);
        var candidate = await OrdersApi.StartAsync(rewrite: true, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("cutover-demo-").FullName;
        var yaml = string.Create(CultureInfo.InvariantCulture, $"""
            # Written by `cutover demo`: a legacy orders API and its rewrite behind Cutover; users
            # still on legacy are mirrored to the rewrite and the answers compared (`cutover diff orders`).
            listen: {listen}
            admin: {admin}
            store: sqlite:{Path.Combine(folder, "cutover.db")}
            migrations:
              - name: orders
                match: {"{"} pathPrefix: /orders {"}"}
                legacy: {legacy.Urls.First()}
                candidate: {candidate.Urls.First()}
                mode: canary
                weight: 10
                stickyBy: header:X-User-Id
                shadow: {"{"} alsoInCanary: true, noiseProbe: true {"}"}
                compare: {"{"} ignore: ["$.servedBy", "$[*].servedBy"] {"}"}
            """);
        var path = Path.Combine(folder, "cutover.yaml");
        await File.WriteAllTextAsync(path, yaml, cancellationToken);
        return new DemoEnvironment(legacy, candidate, folder, ConfigLoader.LoadFile(path));
    }

    /// <summary>Stops the backends and deletes the temporary folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _legacy.DisposeAsync();
        await _candidate.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A store file still held open by a reader elsewhere; the OS cleans temp folders.
        }
    }
}
