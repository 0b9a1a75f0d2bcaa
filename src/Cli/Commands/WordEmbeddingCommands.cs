using System.CommandLine;

namespace MLNetExt.Cli.Commands;

/// <summary>The word-embedding subcommands: <c>word2vec</c>, <c>glove</c> and <c>similar</c>.</summary>
internal static class WordEmbeddingCommands
{
    public static IEnumerable<Command> Create(CliEnvironment environment) =>
        [Word2VecCommand.Create(environment), GloVeCommand.Create(environment), SimilarCommand.Create(environment)];
}
