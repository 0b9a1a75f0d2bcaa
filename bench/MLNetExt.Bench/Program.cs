using MLNetExt.Bench.Commands;

IBenchCommand[] commands = [new GemmCommand(), new AllocCommand(), new RnnCommand(), new TransformerCommand(), new AutoencoderCommand(), new Word2VecCommand(), new GloveCommand(), new YoloDecodeCommand(), new BdnCommand()];

var command = args.Length == 0 ? null : commands.FirstOrDefault(c => c.Name == args[0]);
if (command is null)
{
    Console.Error.WriteLine("usage: MLNetExt.Bench <command> [options]");
    foreach (var c in commands) Console.Error.WriteLine("  " + c.Usage);
    return 2;
}
return command.Run(args[1..]);
