using System.Diagnostics;
using System.Text;

namespace MLNetExt.Cli.Tests;

/// <summary>Runs the built mlnetext tool as a separate process (<c>dotnet mlnetext.dll ...</c>) and captures its output.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _lock = new();

    private CliProcess(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The tool's entry assembly, built beside the tests through the project reference.</summary>
    public static string ToolPath { get; } = Path.Combine(AppContext.BaseDirectory, "mlnetext.dll");

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_lock)
                return _output.ToString();
        }
    }

    public string Error
    {
        get
        {
            lock (_lock)
                return _error.ToString();
        }
    }

    public static CliProcess Start(string workingDirectory, params string[] arguments) => new(arguments, workingDirectory);

    /// <summary>Starts the tool with extra environment variables (e.g. a test hook).</summary>
    public static CliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        new(arguments, workingDirectory, environment);

    /// <summary>Sends <paramref name="signal"/> (e.g. "INT", "TERM") to the tool, as Ctrl+C or kill would.</summary>
    public void Signal(string signal = "INT")
    {
        using var kill = Process.Start("/bin/kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Runs the tool to its end and returns its exit code, output and error output.</summary>
    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] arguments)
    {
        using var process = Start(workingDirectory, arguments);
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(2));
        return (exitCode, process.Output, process.Error);
    }

    /// <summary>Waits for the process and its output streams to end; fails the test when it takes longer than <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlnetext did not finish within {timeout}. Output so far:\n{Output}\n{Error}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; fails the test when it does not within <paramref name="timeout"/>.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
                throw new TimeoutException($"mlnetext never printed '{text}'. Output:\n{Output}\n{Error}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits until the error output holds <paramref name="text"/>; fails the test when it does not within <paramref name="timeout"/>.</summary>
    public void WaitForError(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Error.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
                throw new TimeoutException($"mlnetext never wrote '{text}' to standard error. Output:\n{Output}\n{Error}");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
            return;
        lock (_lock)
            target.AppendLine(line);
    }
}
