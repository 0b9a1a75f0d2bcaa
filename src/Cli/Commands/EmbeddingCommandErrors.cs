using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Cli.Commands;

/// <summary>The word-embedding trainers' errors in the CLI's terms: option names as flags, corpus problems naming the file.</summary>
internal static class EmbeddingCommandErrors
{
    /// <summary>Runs <paramref name="create"/>, turning an option error into "--flag: message".</summary>
    public static T Checked<T>(Func<T> create, Func<string?, string?> flagOf)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            string message = e.Message.Split(" (Parameter", 2)[0].Split('\n', 2)[0].TrimEnd('\r');
            throw new CliException(flagOf(e.ParamName) is { } flag ? $"{flag}: {message}" : message);
        }
    }

    /// <summary>Builds the vocabulary, turning an empty corpus or one whose words are all too rare into a one-line error naming the file.</summary>
    public static Vocabulary Vocabulary(Func<Vocabulary> build, CorpusFile corpus, string minCountFlag, int minCount)
    {
        try
        {
            return build();
        }
        catch (ArgumentException)
        {
            bool empty = !corpus.Any();
            throw new CliException(empty
                ? $"'{corpus.Path}' holds no words: the corpus is empty."
                : $"No word of '{corpus.Path}' occurs at least {minCount} times; lower {minCountFlag} or train on more text.");
        }
    }
}
