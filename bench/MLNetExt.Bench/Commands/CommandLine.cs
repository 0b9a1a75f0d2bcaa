using System.Globalization;

namespace MLNetExt.Bench.Commands;

/// <summary>Minimal <c>--name value</c> option parsing shared by the commands.</summary>
internal static class CommandLine
{
    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when the option is absent.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length) throw new ArgumentException($"Option {name} needs a value.", nameof(args));
        return args[at + 1];
    }

    /// <summary>An integer option.</summary>
    public static int IntOption(string[] args, string name, int fallback)
        => int.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>A comma-separated list of integers.</summary>
    public static int[] IntListOption(string[] args, string name, string fallback)
        => Option(args, name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
