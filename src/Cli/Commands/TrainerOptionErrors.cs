namespace MLNetExt.Cli.Commands;

/// <summary>
/// A deep trainer's option error in the CLI's terms: the option the trainer names (its <c>ParamName</c>) becomes the flag
/// that sets it, as in "--epochs: NumberOfEpochs must be at least 1." One table for <c>train</c>, <c>sequence</c>,
/// <c>anomaly</c> and <c>seq2seq</c>, whose flags for the same setting are the same.
/// </summary>
internal static class TrainerOptionErrors
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["NumberOfEpochs"] = "--epochs",
        ["LearningRate"] = "--learning-rate",
        ["BatchSize"] = "--batch-size",
        ["ValidationFraction"] = "--validation-fraction",
        ["EarlyStoppingPatience"] = "--patience",
        ["HiddenLayers"] = "--hidden",
        ["HiddenSize"] = "--hidden",
        ["NumberOfLayers"] = "--layers",
        ["EmbeddingSize"] = "--embedding",
        ["CodeSize"] = "--code-size",
        ["Contamination"] = "--contamination",
    };

    /// <summary>The error as one line, led by the flag of the option it names (when the CLI has one).</summary>
    public static CliException Rephrase(ArgumentException error, IReadOnlyDictionary<string, string>? moreFlags = null)
    {
        string message = error.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine, 2)[0];
        string? flag = error.ParamName is not { } name ? null
            : moreFlags is not null && moreFlags.TryGetValue(name, out string? more) ? more
            : Flags.GetValueOrDefault(name);
        return new CliException(flag is null ? message : $"{flag}: {message}", error);
    }
}
