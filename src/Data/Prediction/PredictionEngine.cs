namespace MLNetExt.Data;

/// <summary>
/// Scores single examples with a trained model, as ML.NET's <c>PredictionEngine&lt;TSrc, TDst&gt;</c>: made by
/// <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}"/>, it binds the members of
/// <typeparamref name="TSrc"/> to the model's input columns and its output columns to the members of
/// <typeparamref name="TDst"/> once, then maps each example through the same row, getters and setters, so a call
/// does no schema work and, with <see cref="Predict(TSrc, ref TDst)"/>, allocates only what the model itself does.
/// </summary>
/// <remarks>
/// A prediction engine is not thread-safe: it holds one input row and the model's reusable buffers, so calls on one
/// engine must not overlap. Use one engine per thread, or keep engines in an object pool (as ML.NET's
/// <c>PredictionEnginePool</c> does) and take one per call.
/// </remarks>
/// <typeparam name="TSrc">The example class; its members (or <c>inputSchemaDefinition</c>) give the model's input columns.</typeparam>
/// <typeparam name="TDst">The prediction class; each member is filled from the output column of its name.</typeparam>
public sealed class PredictionEngine<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly ObjectRow<TSrc> _input;
    private readonly DataViewRow _output;
    private readonly Action<TDst>[] _setters;

    internal PredictionEngine(ITransformer transformer, bool ignoreMissingColumns,
        SchemaDefinition? inputSchemaDefinition, SchemaDefinition? outputSchemaDefinition)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        _input = new ObjectRow<TSrc>(RowTypeBinding<TSrc>.ForReading(inputSchemaDefinition));
        var mapper = transformer.GetRowToRowMapper(_input.Schema);
        OutputSchema = mapper.OutputSchema;
        var outputBinding = RowTypeBinding<TDst>.ForReading(
            outputSchemaDefinition ?? SchemaDefinition.Create(typeof(TDst), SchemaDefinition.Direction.Write));
        var bound = new List<(MemberBinding<TDst> Member, DataViewSchema.Column Column)>();
        foreach (var member in outputBinding.Members)
        {
            if (OutputSchema.GetColumnOrNull(member.ColumnName) is { } column)
            {
                member.CheckColumn(column);
                bound.Add((member, column));
            }
            else if (!ignoreMissingColumns)
            {
                throw new ArgumentOutOfRangeException(nameof(ignoreMissingColumns),
                    $"Column '{member.ColumnName}' (member '{member.MemberName}' of {typeof(TDst).Name}) is not an output of the model; it has: {OutputSchema}.");
            }
        }
        _output = mapper.GetRow(_input, bound.Select(b => b.Column));
        _setters = [.. bound.Select(b => b.Member.MakeSetter(_output, b.Column))];
    }

    /// <summary>The schema of the model's output rows.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>Scores <paramref name="example"/> into a new <typeparamref name="TDst"/>.</summary>
    /// <param name="example">The example.</param>
    public TDst Predict(TSrc example)
    {
        var prediction = new TDst();
        Predict(example, ref prediction);
        return prediction;
    }

    /// <summary>Scores <paramref name="example"/> into <paramref name="prediction"/>, reusing it (and its arrays) when given.</summary>
    /// <param name="example">The example.</param>
    /// <param name="prediction">The object to fill; null makes a new one.</param>
    public void Predict(TSrc example, ref TDst prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        prediction ??= new TDst();
        _input.MoveTo(example);
        foreach (var set in _setters)
            set(prediction);
    }

    /// <summary>Releases the model's cursor.</summary>
    public void Dispose() => _output.Dispose();
}
