using System.Diagnostics;
using System.Text;

namespace MLNetExt.Fuzz.Tests;

/// <summary>What one fuzz case did.</summary>
public enum FuzzOutcome
{
    /// <summary>The reader accepted the input and returned a result.</summary>
    Accepted,

    /// <summary>The reader refused the input with an error of an expected type that names the file.</summary>
    CleanError,

    /// <summary>Any other exception: a framework message, a wrong type, or an error that does not name the file.</summary>
    Crash,

    /// <summary>The reader ran past the time limit.</summary>
    Hang,

    /// <summary>The reader allocated more than the limit for the input.</summary>
    BlowUp,
}

/// <summary>One fuzz case's result, with enough to reproduce and explain it.</summary>
public sealed record FuzzResult(string Format, string Case, FuzzOutcome Outcome, string Detail, TimeSpan Elapsed, long AllocatedBytes);

/// <summary>
/// Seeded mutations of valid files and the rules every reader must keep on them (issue 15): each case ends in a
/// result or in a clean error (an expected exception type whose message names the file), within a time limit, and
/// allocates no more than a small multiple of its input plus a fixed allowance. Allocation is measured with the
/// process-wide counter, so the assembly runs its tests one at a time.
/// </summary>
public static class FuzzHarness
{
    /// <summary>The longest a single case may take.</summary>
    public static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Seeded mutations of <paramref name="valid"/>: truncation at every offset (every <c>stride</c>-th offset for
    /// files over 4 KiB), single bit flips, bytes set to 0x00 and 0xFF, a run of bytes deleted or duplicated, and
    /// ASCII digits replaced by huge and negative numbers (length fields of text formats).
    /// </summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Mutations(byte[] valid, int seed, int randomCases = 200)
    {
        int stride = valid.Length <= 4096 ? 1 : valid.Length / 1024;
        for (int length = 0; length < valid.Length; length += stride)
            yield return ($"truncated at {length}", valid[..length]);
        var random = new Random(seed);
        for (int i = 0; i < randomCases; i++)
        {
            var bytes = (byte[])valid.Clone();
            int at = random.Next(bytes.Length);
            switch (i % 6)
            {
                case 0:
                    int bit = random.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    yield return ($"bit {bit} of byte {at} flipped", bytes);
                    break;
                case 1:
                    bytes[at] = 0;
                    yield return ($"byte {at} set to 0x00", bytes);
                    break;
                case 2:
                    bytes[at] = 0xFF;
                    yield return ($"byte {at} set to 0xFF", bytes);
                    break;
                case 3:
                    int deleted = Math.Min(1 + random.Next(16), bytes.Length - at);
                    yield return ($"{deleted} bytes deleted at {at}", [.. bytes[..at], .. bytes[(at + deleted)..]]);
                    break;
                case 4:
                    int copied = Math.Min(1 + random.Next(64), bytes.Length - at);
                    yield return ($"{copied} bytes duplicated at {at}", [.. bytes[..(at + copied)], .. bytes[at..]]);
                    break;
                default:
                    if (ReplaceNumber(bytes, at, random.Next(2) == 0 ? "99999999999" : "-2147483648") is { } replaced)
                        yield return ($"number near {at} replaced", replaced);
                    break;
            }
        }
    }

    // The first run of ASCII digits at or after 'from', replaced by 'number'; null when there is none.
    private static byte[]? ReplaceNumber(byte[] bytes, int from, string number)
    {
        int start = Array.FindIndex(bytes, from, b => b is >= (byte)'0' and <= (byte)'9');
        if (start < 0)
            return null;
        int end = start;
        while (end < bytes.Length && bytes[end] is >= (byte)'0' and <= (byte)'9')
            end++;
        return [.. bytes[..start], .. Encoding.ASCII.GetBytes(number), .. bytes[end..]];
    }

    /// <summary>
    /// Runs <paramref name="read"/> on <paramref name="input"/> written to a fresh file, and classifies what it did.
    /// </summary>
    /// <param name="format">The format's name, for the report.</param>
    /// <param name="caseName">The case's name, for the report.</param>
    /// <param name="input">The file's bytes.</param>
    /// <param name="read">Reads the file at the path it is given (a result, or an exception).</param>
    /// <param name="isCleanError">Whether an exception is an expected, specific error; it must also name the file.</param>
    /// <param name="allowance">Bytes a case may allocate beyond 16× its input (fixed costs of the reader).</param>
    public static FuzzResult Run(string format, string caseName, byte[] input, Action<string> read, Func<Exception, bool> isCleanError, long allowance = 64L << 20)
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-").FullName;
        string path = Path.Combine(folder, "input" + Path.GetExtension(format));
        File.WriteAllBytes(path, input);
        try
        {
            return RunOnPath(format, caseName, path, input.Length, read, isCleanError, allowance);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>As <see cref="Run"/>, on an existing path (a directory, a device such as /dev/zero, an empty file).</summary>
    public static FuzzResult RunOnPath(string format, string caseName, string path, long inputLength, Action<string> read, Func<Exception, bool> isCleanError, long allowance = 64L << 20)
    {
        long limit = 16 * inputLength + allowance;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        var task = Task.Run(() =>
        {
            try
            {
                read(path);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        bool finished = task.Wait(CaseTimeLimit);
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        if (!finished)
            return new(format, caseName, FuzzOutcome.Hang, $"still running after {CaseTimeLimit.TotalSeconds} s", clock.Elapsed, allocated);
        if (allocated > limit)
            return new(format, caseName, FuzzOutcome.BlowUp, $"allocated {allocated:N0} bytes for a {inputLength:N0}-byte input (limit {limit:N0})", clock.Elapsed, allocated);
        if (error is null)
            return new(format, caseName, FuzzOutcome.Accepted, "", clock.Elapsed, allocated);
        string name = Path.GetFileName(path);
        bool clean = isCleanError(error) && error.Message.Contains(name, StringComparison.Ordinal);
        return new(format, caseName, clean ? FuzzOutcome.CleanError : FuzzOutcome.Crash, $"{error.GetType().Name}: {error.Message}", clock.Elapsed, allocated);
    }

    /// <summary>
    /// Records <paramref name="results"/> in the campaign report (one line per format in
    /// <c>$TMPDIR/mlnetext-fuzz-report.tsv</c>: format, cases, accepted, clean errors, crashes, hangs, blow-ups) and
    /// fails with every bad case listed when any case crashed, hung or blew up.
    /// </summary>
    public static void Assert(IReadOnlyList<FuzzResult> results)
    {
        var bad = results.Where(r => r.Outcome is FuzzOutcome.Crash or FuzzOutcome.Hang or FuzzOutcome.BlowUp).ToList();
        foreach (var format in results.GroupBy(r => r.Format))
        {
            int Count(FuzzOutcome outcome) => format.Count(r => r.Outcome == outcome);
            File.AppendAllText(Path.Combine(Path.GetTempPath(), "mlnetext-fuzz-report.tsv"),
                $"{format.Key}\t{format.Count()}\t{Count(FuzzOutcome.Accepted)}\t{Count(FuzzOutcome.CleanError)}\t{Count(FuzzOutcome.Crash)}\t{Count(FuzzOutcome.Hang)}\t{Count(FuzzOutcome.BlowUp)}\n");
        }
        bad.Should().BeEmpty("every hostile input must end in a result or a clean error naming the file, in time and in bounded memory:\n"
            + string.Join("\n", bad.Take(20).Select(r => $"{r.Format} / {r.Case}: {r.Outcome}: {r.Detail}")));
    }
}
