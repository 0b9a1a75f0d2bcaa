namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// The tokens a sequence-to-sequence model reads and writes, and how its output ids become text again: every
/// character (white space included, so that outputs keep their spaces: spelling, addresses, dates, codes), or words.
/// </summary>
public enum TextUnit
{
    /// <summary>Every UTF-16 character, white space included, as ML.NET's <c>TokenizeIntoCharactersAsKeys</c> cuts text; the output's characters are joined with nothing.</summary>
    Characters,

    /// <summary>Runs of characters between white space (space, tab, line breaks, no-break space); the output's words are joined with one space.</summary>
    Words,
}

/// <summary>Cuts texts into <see cref="TextUnit"/> tokens and joins tokens back into text.</summary>
public static class TextUnits
{
    /// <summary>The white-space characters that separate words.</summary>
    public static readonly char[] WordSeparators = [' ', '\t', '\n', '\r', '\f', '\v', '\u00A0'];

    /// <summary>The tokens of <paramref name="text"/> (none for null or empty text).</summary>
    public static IReadOnlyList<string> Split(string? text, TextUnit unit)
    {
        if (string.IsNullOrEmpty(text))
            return [];
        return unit == TextUnit.Characters
            ? [.. text.Select(c => c.ToString())]
            : text.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The text of <paramref name="tokens"/>: characters joined with nothing, words with one space.</summary>
    public static string Join(IEnumerable<string> tokens, TextUnit unit) => string.Join(unit == TextUnit.Characters ? "" : " ", tokens);
}
