using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Cli;

/// <summary>
/// Runs a loaded model on data that may lack some of its input columns, without knowing which trainer made it.
/// </summary>
/// <remarks>
/// A model is a chain of steps (nested chains flattened). A step whose input columns are missing is skipped, and so
/// are the steps that need its outputs: a file without the label still gets its predictions when the label is only
/// converted for training and testing (as in ML.NET, where such conversions often sit in the scoring chain too). An
/// input column is needed for scoring when, without it, the steps that can still run no longer produce a Score column.
/// </remarks>
internal static class ModelParts
{
    /// <summary>The column every predictor writes under ML.NET's conventions.</summary>
    public const string ScoreColumn = "Score";

    /// <summary>
    /// Loads a model file, with a one-line error naming it when it is missing, damaged or hostile. ML.NET's loader
    /// trusts the zip, so the file is checked first by MLNetExt's rules for model files (<see cref="NativeModelFile.CheckArchive"/>:
    /// at most 10,000 entries, each inflating to exactly its declared size, all of them to at most 4× the file's
    /// size + 8 MiB); what ML.NET throws on a file that passes is rephrased here, at the edge.
    /// </summary>
    public static ITransformer Load(MLContext ml, string path, out DataViewSchema inputSchema)
    {
        if (Directory.Exists(path))
            throw new CliException($"Model file '{path}' is a directory, not a model file.");
        if (!File.Exists(path))
            throw new CliException($"Model file '{path}' does not exist.");
        try
        {
            NativeModelFile.CheckArchive(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new CliException(e.Message, e);
        }
        ITransformer model;
        try
        {
            model = ml.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new CliException($"{path}: ML.NET cannot load this model file ({LoadError(e)}).", e);
        }
        if (inputSchema is null)
            throw new CliException($"Model file '{path}' holds no input schema, so the CLI cannot tell which columns to read.");
        return model;
    }

    // What ML.NET's loader threw, on one line: the innermost exception that says more than "instantiation failed".
    private static string LoadError(Exception e)
    {
        while (e.InnerException is { } inner && (e is System.Reflection.TargetInvocationException || e.Message.Contains("instantiation", StringComparison.OrdinalIgnoreCase)))
            e = inner;
        string message = e.Message.Split('\n', 2)[0].TrimEnd('\r', '.');
        return e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException
            ? message
            : $"{e.GetType().Name}: {message}";
    }

    /// <summary>
    /// Saves <paramref name="model"/> as an ML.NET model zip at <paramref name="path"/> atomically and safe from
    /// signals (<see cref="Interrupts.Write"/>): it is written to a temporary file in the same folder and renamed over
    /// the target, so a failed save leaves the target as it was (an earlier model stays usable) and no half-written
    /// file behind, and a second Ctrl+C waits for the save instead of cutting it off.
    /// </summary>
    public static void Save(CliEnvironment environment, MLContext ml, ITransformer model, DataViewSchema inputSchema, string path)
    {
        CheckFolder(path, "--output");
        environment.WriteFile(path, stream => ml.Model.Save(model, inputSchema, stream));
    }

    /// <summary>The folder of <paramref name="path"/>; a one-line error naming <paramref name="option"/> when it does not exist.</summary>
    public static string CheckFolder(string path, string option)
    {
        string folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
            throw new CliException($"{option}: the folder '{folder}' does not exist.");
        return folder;
    }

    /// <summary>The model's steps for <paramref name="scope"/> (e.g. Testing keeps label conversions, Scoring drops them), nested chains flattened.</summary>
    public static IReadOnlyList<ITransformer> Steps(ITransformer model, TransformerScope scope)
    {
        var steps = new List<ITransformer>();
        void Add(ITransformer part)
        {
            if (part is TransformerChain<ITransformer> chain)
            {
                foreach (var inner in chain.GetModelFor(scope))
                    Add(inner);
            }
            else if (part is IEnumerable<ITransformer> parts)
            {
                foreach (var inner in parts)
                    Add(inner);
            }
            else
            {
                steps.Add(part);
            }
        }
        Add(model);
        return steps;
    }

    /// <summary>The schema after the steps that can run on <paramref name="schema"/>, and which ones can.</summary>
    public static (DataViewSchema Schema, bool[] Runs) SchemaAfter(IReadOnlyList<ITransformer> steps, DataViewSchema schema)
    {
        var runs = new bool[steps.Count];
        for (int i = 0; i < steps.Count; i++)
        {
            try
            {
                schema = steps[i].GetOutputSchema(schema);
                runs[i] = true;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // The step's input column is missing or of another type: it does not apply to this data. ML.NET's
                // transformers report that as either (e.g. a calibrator without its Score column: InvalidOperationException).
            }
        }
        return (schema, runs);
    }

    /// <summary>Applies the steps that can run on <paramref name="data"/>.</summary>
    public static IDataView Apply(IReadOnlyList<ITransformer> steps, IDataView data)
    {
        var (_, runs) = SchemaAfter(steps, data.Schema);
        for (int i = 0; i < steps.Count; i++)
        {
            if (runs[i])
                data = steps[i].Transform(data);
        }
        return data;
    }

    /// <summary>Whether the steps produce a Score column from <paramref name="schema"/>.</summary>
    public static bool Scores(IReadOnlyList<ITransformer> steps, DataViewSchema schema) =>
        SchemaAfter(steps, schema).Schema.GetColumnOrNull(ScoreColumn) is not null;

    /// <summary>The visible input columns the steps cannot produce a Score column without.</summary>
    public static IReadOnlyList<string> ScoringInputs(IReadOnlyList<ITransformer> steps, DataViewSchema inputSchema)
    {
        var visible = inputSchema.Where(c => !c.IsHidden).ToArray();
        return [.. visible.Where(c => !Scores(steps, Without(visible, [c.Name]))).Select(c => c.Name)];
    }

    /// <summary>A schema of <paramref name="columns"/> less those named in <paramref name="removed"/>.</summary>
    public static DataViewSchema Without(IEnumerable<DataViewSchema.Column> columns, IReadOnlyCollection<string> removed)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(columns.Where(c => !removed.Contains(c.Name)));
        return builder.ToSchema();
    }
}
