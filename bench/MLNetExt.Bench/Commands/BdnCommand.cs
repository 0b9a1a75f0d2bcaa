using BenchmarkDotNet.Running;

namespace MLNetExt.Bench.Commands;

/// <summary>Hands the remaining arguments to BenchmarkDotNet's switcher over this assembly's benchmark classes.</summary>
internal sealed class BdnCommand : IBenchCommand
{
    public string Name => "bdn";

    public string Usage => "bdn [BenchmarkDotNet arguments, e.g. --filter *Gemm*]";

    public int Run(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(BdnCommand).Assembly).Run(args);
        return 0;
    }
}
