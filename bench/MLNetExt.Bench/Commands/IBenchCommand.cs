namespace MLNetExt.Bench.Commands;

/// <summary>A subcommand of the benchmark console: <c>MLNetExt.Bench &lt;name&gt; [options]</c>.</summary>
internal interface IBenchCommand
{
    /// <summary>The word that selects the command.</summary>
    string Name { get; }

    /// <summary>One usage line: the options and what the command prints.</summary>
    string Usage { get; }

    /// <summary>Runs with the arguments after the command name; returns the process exit code.</summary>
    int Run(string[] args);
}
