using System.CommandLine;
using System.Globalization;
using MLNetExt.Trainers.WordEmbeddings;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary><c>mlnetext similar</c>: prints the words closest (by cosine) to a word in a vectors file.</summary>
internal static class SimilarCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var vectorsFile = new Option<FileInfo>("--vectors", "-v") { Description = "A word2vec (binary or text) or GloVe text vectors file; the format is detected.", Required = true };
        var word = new Option<string>("--word", "-w") { Description = "The word to find neighbours of.", Required = true };
        var top = new Option<int>("--top", "-n") { Description = "How many neighbours to print.", DefaultValueFactory = _ => 10 };

        var command = new Command("similar", "Print the words most similar (cosine) to a word, from a vectors file.");
        foreach (var option in new Option[] { vectorsFile, word, top })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(vectorsFile)!;
            string query = parse.GetValue(word)!;
            int count = parse.GetValue(top);
            if (count < 1)
                throw new CliException($"--top {count} must be at least 1.");
            if (Directory.Exists(file.FullName))
                throw new CliException($"--vectors: '{file.FullName}' is a directory, not a vectors file.");
            if (!file.Exists)
                throw new CliException($"--vectors: the file '{file.FullName}' does not exist.");
            var vectors = WordVectorFiles.Read(file.FullName);
            if (!vectors.Contains(query))
                throw new CliException($"'{query}' is not in the vocabulary of '{file.FullName}' ({vectors.Count} words).");
            foreach (var neighbour in vectors.MostSimilar(query, count))
                environment.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{neighbour.Word}\t{neighbour.Similarity:F4}"));
            return 0;
        });
        return command;
    }
}
