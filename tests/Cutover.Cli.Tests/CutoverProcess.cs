using System.Diagnostics;
using System.Text;

namespace Cutover.Cli.Tests;

/// <summary>
/// The real <c>cutover</c> command as a process of its own (the CLI built beside the tests, run with
/// <c>dotnet cutover.dll</c>), for what cannot happen in process: being killed. Disposing kills it
/// if it still runs, so a failing test leaves nothing behind.
/// </summary>
internal sealed class CutoverProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private CutoverProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>Its process id, which the holder names of its backfill workers carry (<c>MACHINE:PID:RUN</c>).</summary>
    public int Id => _process.Id;

    /// <summary>What it wrote so far, both streams, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_out)
            {
                return $"{_out}{_error}";
            }
        }
    }

    public static CutoverProcess Start(params string[] args) => StartDll("cutover.dll", args);

    /// <summary>Starts <paramref name="dll"/>, an application built beside the tests (such as an example), with <paramref name="args"/>.</summary>
    public static CutoverProcess StartDll(string dll, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var cutover = new CutoverProcess(process);
        process.OutputDataReceived += (_, e) => cutover.Append(cutover._out, e.Data);
        process.ErrorDataReceived += (_, e) => cutover.Append(cutover._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cutover;
    }

    /// <summary>Waits until the admin API at <paramref name="admin"/> (of this <c>cutover serve</c>) is ready; fails the test if the process exits first or it takes over 30 s.</summary>
    public async Task WaitForReadyAsync(Uri admin)
    {
        using var client = new HttpClient { BaseAddress = admin };
        for (var i = 0; i < 300; i++)
        {
            Assert.False(HasExited, $"cutover serve exited:\n{Output}");
            try
            {
                using var ready = await client.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"cutover serve did not get ready:\n{Output}");
    }

    /// <summary>Waits (real time) until its output so far satisfies <paramref name="holds"/>; returns how long that took, or fails the test after <paramref name="limit"/>.</summary>
    public async Task<TimeSpan> WaitForOutputAsync(Func<string, bool> holds, TimeSpan limit)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!holds(Output))
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < limit, $"not seen within {limit.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(10);
        }

        return TimeProvider.System.GetElapsedTime(started);
    }

    /// <summary>Sends it SIGINT, as Ctrl+C in its terminal would.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Sends it SIGTERM, as a service manager or <c>kill</c> would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills it with SIGKILL, as a crash or an OOM killer would: no handler runs, nothing is flushed or released.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for it to end by itself; fails the test (and kills it) after <paramref name="timeout"/>.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"cutover did not exit within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (_out)
            {
                text.AppendLine(line);
            }
        }
    }
}
