using System.Text;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// A UTF-8 text file read as a corpus: each line is one sentence of whitespace-separated tokens (a line may hold
/// several sentences; they are trained as one, as word2vec.c and gensim's <c>LineSentence</c> do), blank lines skipped.
/// Each enumeration reads the file again from the start, so a trainer may pass over it more than once without it
/// being held in memory; the cancellation token is checked at every line.
/// </summary>
/// <param name="path">The file; it must exist.</param>
/// <param name="cancellation">Stops the reading with an <see cref="OperationCanceledException"/>.</param>
internal sealed class CorpusFile(string path, CancellationToken cancellation) : IEnumerable<IReadOnlyList<string>>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks that <paramref name="file"/> exists, naming the <paramref name="option"/> that gave it.</summary>
    public static CorpusFile Open(FileInfo file, string option, CancellationToken cancellation) =>
        file.Exists ? new CorpusFile(file.FullName, cancellation) : throw new CliException($"{option}: the corpus file '{file.FullName}' does not exist.");

    /// <summary>The file's full path.</summary>
    public string Path => path;

    public IEnumerator<IReadOnlyList<string>> GetEnumerator()
    {
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        long lineNumber = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                throw new CliException($"'{path}' is not valid UTF-8 (an invalid byte near line {lineNumber + 1}).");
            }
            if (line is null)
                yield break;
            lineNumber++;
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0)
                yield return tokens;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
