namespace MLNetExt.Cli;

/// <summary>A problem with the user's arguments or files, reported as one line without a stack trace.</summary>
/// <param name="message">What is wrong and, where it helps, what to do.</param>
internal sealed class CliException(string message) : Exception(message);
