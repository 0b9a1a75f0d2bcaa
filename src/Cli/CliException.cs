namespace MLNetExt.Cli;

/// <summary>A problem with the user's arguments or files, reported as one line without a stack trace.</summary>
/// <param name="message">What is wrong and, where it helps, what to do.</param>
/// <param name="inner">The framework's exception it rephrases, if any (shown with --verbose).</param>
internal sealed class CliException(string message, Exception? inner = null) : Exception(message, inner);
