using System.Globalization;

namespace MLNetExt.TestKit;

/// <summary>
/// A generated date-normalization task: dates from 1950 to 2049 written in one of many human formats (month names
/// in full, abbreviated or upper-case, ordinals, weekdays, US month/day order, compact and dotted numerals), each with
/// its ISO 8601 form (yyyy-MM-dd). Every format is unambiguous, so an exact answer exists for each source.
/// </summary>
public static class DateNormalizationData
{
    private static readonly Func<DateTime, string>[] Formats =
    [
        d => d.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("MMM d, yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("dd MMM yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("MMMM dd yyyy", CultureInfo.InvariantCulture),
        d => $"{Ordinal(d.Day)} of {d.ToString("MMMM", CultureInfo.InvariantCulture)}, {d.Year}",
        d => $"the {Ordinal(d.Day)} of {d.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}",
        d => d.ToString("dddd, MMMM d, yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("ddd, d MMM yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
        d => d.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture),
        d => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        d => d.ToString("M/d/yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture),
        d => $"{d.ToString("MMMM", CultureInfo.InvariantCulture)} {Ordinal(d.Day)}, {d.Year}",
        d => d.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture),
        d => d.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture).ToUpperInvariant(),
        d => d.ToString("MMMM d yyyy", CultureInfo.InvariantCulture).ToLowerInvariant(),
        d => d.ToString("MMM. d, yyyy", CultureInfo.InvariantCulture),
    ];

    /// <summary>The number of formats a source may be written in.</summary>
    public static int FormatCount => Formats.Length;

    /// <summary><paramref name="count"/> (source, ISO target) pairs drawn with <paramref name="seed"/>: a uniform date and a uniform format each.</summary>
    public static (string[] Sources, string[] Targets) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var first = new DateTime(1950, 1, 1);
        int days = (int)(new DateTime(2049, 12, 31) - first).TotalDays + 1;
        var sources = new string[count];
        var targets = new string[count];
        for (int i = 0; i < count; i++)
        {
            var date = first.AddDays(random.Next(days));
            sources[i] = Formats[random.Next(Formats.Length)](date);
            targets[i] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return (sources, targets);
    }

    private static string Ordinal(int day) => day + (day % 100 is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
