using Cutover.Testing;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// An example's application (examples/NAME) run as a process of its own on a free loopback port,
/// with a client that calls it, and a wait that fails with the app's output when the app exited
/// or the wait ran out.
/// </summary>
internal sealed class ExampleApp : IDisposable
{
    private readonly CutoverProcess _process;
    private int _disposed;

    private ExampleApp(CutoverProcess process, Uri address)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>The client of the app, at its address.</summary>
    public HttpClient Http { get; }

    /// <summary>What the app wrote so far.</summary>
    public string Output => _process.Output;

    /// <summary>The folder of an example in the repository.</summary>
    public static string Folder(string example) => Path.Combine(RepositoryRoot(), "examples", example);

    /// <summary>A free loopback address for an app, to name in the control plane's config before the app starts.</summary>
    public static Uri FreeAddress() => new($"http://127.0.0.1:{LoopbackPorts.Closed()}");

    /// <summary>Starts the app's assembly (built beside the tests) listening on <paramref name="address"/>, with more command-line settings.</summary>
    public static ExampleApp Start(string dll, Uri address, params string[] settings) =>
        new(CutoverProcess.StartDll(dll, ["--urls", address.ToString(), .. settings]), address);

    /// <summary>Waits (real time, up to <paramref name="within"/>, 30 s by default) until <paramref name="holds"/>; returns how long it took. A request the app cannot answer yet counts as not yet.</summary>
    public async Task<TimeSpan> EventuallyAsync(Func<Task<bool>> holds, string what, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(30);
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            Assert.False(_process.HasExited, $"the example app exited:\n{Output}");
            try
            {
                if (await holds())
                {
                    return TimeProvider.System.GetElapsedTime(started);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started) < limit, $"waited {limit.TotalSeconds} s for {what}:\n{Output}");
            await Task.Delay(20);
        }
    }

    /// <summary>Starts a migration's plan once its pre-migration checks pass (traffic must reach the control plane first), as the examples' walkthroughs do.</summary>
    public async Task PromoteAsync(Uri admin, string migration, string reason)
    {
        await EventuallyAsync(async () => (await CliRun.RunAsync("check", migration, "--admin", admin.ToString())).ExitCode == 0, $"{migration}'s checks to pass");
        await SucceedsAsync(admin, "promote", migration, "-r", reason);
    }

    /// <summary>Runs a <c>cutover</c> command against an admin API; it must succeed.</summary>
    public static async Task<CliRun> SucceedsAsync(Uri admin, params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", admin.ToString()]);
        Assert.True(run.ExitCode == 0, $"cutover {string.Join(' ', args)} failed ({run.ExitCode}): {run.Error}");
        return run;
    }

    /// <summary>Stops the app; a test may stop one early (a retired legacy service), so a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _process.Dispose();
        Http.Dispose();
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Cutover.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No Cutover.slnx above {AppContext.BaseDirectory}.");
    }
}
