using MLNetExt.Core;
using MLNetExt.Data.Tests.Infrastructure;

namespace MLNetExt.Data.Tests.Model;

/// <summary>
/// Divides each slot of a Vector&lt;Single&gt; column by a learned weight; saves options, a tensor and a value list,
/// the three things a savable transformer can write, so that the persistence tests exercise all of them.
/// </summary>
public sealed class SlotScalingTransformer : ITransformer, ICanSaveModel
{
    public const string Kind = "Test.SlotScaling";

    public SlotScalingTransformer(string input, string output, float[] weights, string[] slotNames)
    {
        Input = input;
        Output = output;
        Weights = weights;
        SlotNames = slotNames;
    }

    public string Input { get; }

    public string Output { get; }

    public float[] Weights { get; }

    public string[] SlotNames { get; }

    public sealed class Options
    {
        public string Input { get; set; } = "";

        public string Output { get; set; } = "";
    }

    public static void EnsureRegistered() => ModelKindRegistry.Register(Kind, Load);

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var column = inputSchema.GetColumnOrNull(Input) ?? throw SchemaMismatch.ColumnNotFound(nameof(inputSchema), "input", Input);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(Output, column.Type);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input)
    {
        GetOutputSchema(input.Schema);
        return new MappedColumnDataView<VBuffer<float>>(input, Input, Output, input.Schema[Input].Type,
            values => new VBuffer<float>(values.Length, [.. values.Select((v, i) => v / Weights[i])]));
    }

    public void Save(ModelSaveContext context)
    {
        context.SetKind(Kind);
        context.SetOptions(new Options { Input = Input, Output = Output });
        context.AddTensor("weights", Tensor.FromValues(Weights, Weights.Length));
        context.AddValues<string>("slotNames", SlotNames);
    }

    public static SlotScalingTransformer Load(ModelLoadContext context)
    {
        var options = context.GetOptions<Options>();
        var names = context.GetValues<string>("slotNames");
        var weights = context.GetTensor("weights", names.Length);
        return new SlotScalingTransformer(options.Input, options.Output, weights.Span.ToArray(), names);
    }
}

/// <summary>A transformer that does not implement <see cref="ICanSaveModel"/>.</summary>
public sealed class UnsavableTransformer : ITransformer
{
    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    public IDataView Transform(IDataView input) => input;
}

/// <summary>Saves a tensor under the name safetensors reserves, so that writing fails after the zip has begun.</summary>
public sealed class FailingWhileWrittenTransformer : ITransformer, ICanSaveModel
{
    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    public IDataView Transform(IDataView input) => input;

    public void Save(ModelSaveContext context)
    {
        context.SetKind("Test.FailingWhileWritten");
        context.AddTensor("__metadata__", Tensor.FromValues([1f], 1));
    }
}
