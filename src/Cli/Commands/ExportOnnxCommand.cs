using System.CommandLine;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;
using MLNetExt.Core.Serialization;
using MLNetExt.Transforms.Saving;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext export-onnx</c>: writes an MLNetExt ONNX graph out of an ML.NET model file, for ONNX Runtime or any
/// other ONNX consumer. A saved MLNetExt model is ML.NET's OnnxTransformer over such a graph; the file is read by
/// <see cref="NativeModelFile"/>, which bounds every size it reads and keeps only graphs carrying MLNetExt's state.
/// </summary>
internal static class ExportOnnxCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "The ML.NET model file (zip) saved by mlnetext or by ml.Model.Save.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the ONNX graph (replaced atomically).", Required = true };
        var index = new Option<int?>("--index")
        {
            Description = "Which MLNetExt graph to write, counting from 0 in pipeline order, when the model holds several (e.g. word embeddings and an LSTM).",
        };
        var command = new Command("export-onnx",
            "Write the ONNX graph of an MLNetExt model out of an ML.NET model file. The graph computes the network's raw outputs "
            + "(the logits, before ML.NET's scorer) and carries MLNetExt's state in its metadata.");
        command.Options.Add(model);
        command.Options.Add(output);
        command.Options.Add(index);
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!.FullName;
            string outputPath = parse.GetValue(output)!.FullName;
            var graphs = NativeModelFile.ReadGraphs(modelPath);
            if (graphs.Count == 0)
                throw new CliException($"{modelPath} holds no MLNetExt ONNX graph (no OnnxModel entry with '{NativeStateInOnnx.StateKey}' metadata).");
            int chosen = Choose(graphs, parse.GetValue(index));
            ModelParts.CheckFolder(outputPath, "--output");
            var (entry, graph) = graphs[chosen];
            environment.WriteFile(outputPath, stream => graph.WriteTo(stream));
            environment.Console.WriteLine($"Wrote ONNX graph {chosen} ({Describe(graph)}, from '{entry}') to {outputPath}.");
        });
        return command;
    }

    private static int Choose(IReadOnlyList<(string EntryName, ModelProto Model)> graphs, int? index)
    {
        if (index is { } i)
        {
            if (i < 0 || i >= graphs.Count)
                throw new CliException($"--index {i}: the model holds {graphs.Count} MLNetExt graph(s), numbered 0 to {graphs.Count - 1}.");
            return i;
        }
        if (graphs.Count > 1)
        {
            // Guessing would silently write the wrong network; the list lets the user pick.
            string list = string.Join("; ", graphs.Select((g, n) => $"{n}: {Describe(g.Model)}"));
            throw new CliException($"the model holds {graphs.Count} MLNetExt graphs; choose one with --index ({list}).");
        }
        return 0;
    }

    private static string Describe(ModelProto graph) =>
        $"{string.Join(", ", graph.Graph.Input.Select(v => v.Name))} -> {string.Join(", ", graph.Graph.Output.Select(v => v.Name))}";
}
