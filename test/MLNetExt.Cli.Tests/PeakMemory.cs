using System.Diagnostics;
using System.Globalization;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// Runs the tool as a child process and measures its peak resident set size (VmHWM, polled from /proc while it runs),
/// with the GC's heap capped (<c>DOTNET_GCHeapHardLimit</c>) so that a regression to memory that grows with the input
/// fails with an out-of-memory exit rather than slowing the machine down.
/// </summary>
internal static class PeakMemory
{
    public static (int ExitCode, string Output, string Error, long PeakBytes) Run(string workingDirectory, long heapLimitBytes, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(CliProcess.ToolPath);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_GCHeapHardLimit"] = heapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            if (process.StartTime < DateTime.Now - TimeSpan.FromMinutes(3))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"mlnetext {string.Join(' ', arguments)} did not finish within 3 minutes.");
            }
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result, peak);
    }

    // VmHWM of /proc/<pid>/status, in bytes; 0 once the process is gone.
    private static long HighWaterMark(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
