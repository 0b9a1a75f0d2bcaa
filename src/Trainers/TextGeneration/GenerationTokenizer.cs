using System.Globalization;
using System.Text;

namespace MLNetExt.Trainers.TextGeneration;

/// <summary>How the text-generation metrics cut a text into the tokens they compare.</summary>
public enum GenerationTokenization
{
    /// <summary>Words: runs of characters between white space (Unicode's), as the text was written (pre-tokenized text stays as it is).</summary>
    Whitespace,

    /// <summary>Characters (Unicode text elements, so that a letter with its combining marks is one), white space dropped: for character-level tasks such as transliteration or normalizing dates.</summary>
    Characters,
}

/// <summary>Cuts texts into tokens for BLEU and ROUGE, optionally lower-cased (invariant culture).</summary>
/// <param name="Tokenization">Words or characters.</param>
/// <param name="LowerCase">Whether to lower-case first, so that "The" and "the" match.</param>
public sealed record GenerationTokenizer(GenerationTokenization Tokenization = GenerationTokenization.Whitespace, bool LowerCase = false)
{
    /// <summary>The tokens of <paramref name="text"/> (none for null or white space).</summary>
    public IReadOnlyList<string> Tokenize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        if (LowerCase)
            text = text.ToLowerInvariant();
        if (Tokenization == GenerationTokenization.Whitespace)
            return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var tokens = new List<string>(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            string element = elements.GetTextElement();
            if (!(element.Length > 0 && Rune.TryGetRuneAt(element, 0, out var rune) && Rune.IsWhiteSpace(rune)))
                tokens.Add(element);
        }
        return tokens;
    }
}
