namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// The tokens a sequence-to-sequence model reads or writes, numbered: 0 <c>&lt;pad&gt;</c>, 1 <c>&lt;unk&gt;</c>,
/// 2 <c>&lt;bos&gt;</c>, 3 <c>&lt;eos&gt;</c>, then the tokens of the training texts, most frequent first (ties in
/// ordinal order, so the numbering depends only on the texts).
/// </summary>
public sealed class TokenVocabulary
{
    /// <summary>The id of padding, ignored by the loss and masked by attention.</summary>
    public const int Padding = 0;

    /// <summary>The id of a token the vocabulary lacks.</summary>
    public const int Unknown = 1;

    /// <summary>The id that starts every decoder input.</summary>
    public const int BeginOfSequence = 2;

    /// <summary>The id that ends every output (and every encoder input).</summary>
    public const int EndOfSequence = 3;

    /// <summary>The number of special ids before the first token.</summary>
    public const int SpecialCount = 4;

    private static readonly string[] SpecialTokens = ["<pad>", "<unk>", "<bos>", "<eos>"];

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    /// <summary>A vocabulary of <paramref name="tokens"/> (specials excluded), numbered from <see cref="SpecialCount"/> in the given order.</summary>
    /// <exception cref="ArgumentException">A token is empty, repeated or one of the special names.</exception>
    public TokenVocabulary(IEnumerable<string> tokens, TextUnit unit)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Unit = unit;
        _tokens = [.. SpecialTokens, .. tokens];
        _ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            if (string.IsNullOrEmpty(_tokens[id]))
                throw new ArgumentException($"Token {id - SpecialCount} is empty.", nameof(tokens));
            if (!_ids.TryAdd(_tokens[id], id))
                throw new ArgumentException($"Token '{_tokens[id]}' appears twice{(SpecialTokens.Contains(_tokens[id]) ? " (it is a special token's name)" : "")}.", nameof(tokens));
        }
    }

    /// <summary>What this vocabulary's tokens are: characters or words (see <see cref="TextUnits"/>).</summary>
    public TextUnit Unit { get; }

    /// <summary>The number of ids, specials included.</summary>
    public int Count => _tokens.Length;

    /// <summary>Every token by id, specials first.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>
    /// The vocabulary of <paramref name="texts"/>' tokens seen at least <paramref name="minCount"/> times, the
    /// <paramref name="maxTokens"/> most frequent kept.
    /// </summary>
    public static TokenVocabulary Build(IEnumerable<IReadOnlyList<string>> texts, TextUnit unit, int minCount = 1, int maxTokens = 50_000)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (string token in text)
            {
                if (!SpecialTokens.Contains(token))
                    counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }
        return new TokenVocabulary(counts.Where(c => c.Value >= minCount).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(maxTokens).Select(c => c.Key), unit);
    }

    /// <summary>The id of <paramref name="token"/>, or <see cref="Unknown"/>.</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) && id >= SpecialCount ? id : Unknown;

    /// <summary>The ids of <paramref name="tokens"/> followed by <see cref="EndOfSequence"/>.</summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        var ids = new int[tokens.Count + 1];
        for (int i = 0; i < tokens.Count; i++)
            ids[i] = IdOf(tokens[i]);
        ids[^1] = EndOfSequence;
        return ids;
    }

    /// <summary>The text of <paramref name="ids"/> up to the first <see cref="EndOfSequence"/>, specials left out but <see cref="Unknown"/> written as <c>&lt;unk&gt;</c>.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var tokens = new List<string>(ids.Length);
        foreach (int id in ids)
        {
            if (id == EndOfSequence)
                break;
            if (id == Unknown || id >= SpecialCount && id < _tokens.Length)
                tokens.Add(_tokens[id]);
        }
        return TextUnits.Join(tokens, Unit);
    }
}
