namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// A corpus as vocabulary indices: out-of-vocabulary tokens removed (before any windowing, as word2vec.c and
/// gensim do), sentences longer than a limit cut into pieces, and the sentences grouped into jobs of about a
/// fixed number of tokens, the unit of work a thread takes.
/// </summary>
internal sealed class EncodedCorpus
{
    private EncodedCorpus(int[] tokens, int[] sentenceStarts, int[] jobStarts, long[] jobWordOffsets, int maxSentenceLength)
    {
        Tokens = tokens;
        SentenceStarts = sentenceStarts;
        JobStarts = jobStarts;
        JobWordOffsets = jobWordOffsets;
        MaxSentenceLength = maxSentenceLength;
    }

    /// <summary>All kept tokens, sentence after sentence.</summary>
    public int[] Tokens { get; }

    /// <summary>Sentence s spans Tokens[SentenceStarts[s]..SentenceStarts[s+1]); length sentences+1.</summary>
    public int[] SentenceStarts { get; }

    /// <summary>Job j covers sentences JobStarts[j]..JobStarts[j+1]; length jobs+1.</summary>
    public int[] JobStarts { get; }

    /// <summary>Tokens before job j; length jobs+1 (the last entry is the total).</summary>
    public long[] JobWordOffsets { get; }

    /// <summary>The longest sentence after cutting.</summary>
    public int MaxSentenceLength { get; }

    /// <summary>The number of jobs.</summary>
    public int JobCount => JobStarts.Length - 1;

    /// <summary>The number of kept tokens.</summary>
    public long WordCount => Tokens.Length;

    /// <summary>Encodes <paramref name="sentences"/> with <paramref name="vocabulary"/>.</summary>
    public static EncodedCorpus Encode(IEnumerable<IReadOnlyList<string>> sentences, Vocabulary vocabulary, int batchWords, CancellationToken cancellationToken)
    {
        var tokens = new List<int>();
        var starts = new List<int> { 0 };
        int maxLength = 0;
        int sentenceCount = 0;
        foreach (var sentence in sentences)
        {
            if (sentence is null) throw new ArgumentException("The corpus holds a null sentence.", nameof(sentences));
            if ((++sentenceCount & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            int start = tokens.Count;
            foreach (string word in sentence)
            {
                int index = vocabulary.IndexOf(word ?? throw new ArgumentException("The corpus holds a null word.", nameof(sentences)));
                if (index < 0) continue;
                tokens.Add(index);
                if (tokens.Count - start == batchWords)
                {
                    starts.Add(tokens.Count);
                    maxLength = batchWords;
                    start = tokens.Count;
                }
            }
            if (tokens.Count > start)
            {
                maxLength = Math.Max(maxLength, tokens.Count - start);
                starts.Add(tokens.Count);
            }
        }
        if (tokens.Count == 0) throw new ArgumentException("No token of the corpus is in the vocabulary.", nameof(sentences));

        var jobStarts = new List<int> { 0 };
        var jobOffsets = new List<long> { 0 };
        int sentenceTotal = starts.Count - 1;
        for (int s = 0; s < sentenceTotal;)
        {
            int first = s;
            while (s < sentenceTotal && starts[s] - starts[first] < batchWords) s++;
            jobStarts.Add(s);
            jobOffsets.Add(starts[s]);
        }
        return new EncodedCorpus(tokens.ToArray(), starts.ToArray(), jobStarts.ToArray(), jobOffsets.ToArray(), maxLength);
    }
}
