namespace MLNetExt.Data;

/// <summary>
/// The catalog of operations on trained models, as ML.NET's <c>ModelOperationsCatalog</c>: saving and loading models,
/// and making prediction engines.
/// </summary>
/// <remarks>
/// A saved model is one zip: <c>manifest.json</c> (format name and version, the input schema, and the tree of model
/// nodes, each with its kind, options, value lists and nested models) plus one safetensors entry per node that has
/// tensors. Loading goes through <see cref="ModelKindRegistry"/> and never instantiates a type named in the file.
/// </remarks>
public sealed partial class ModelOperationsCatalog
{
    internal ModelOperationsCatalog(MLContext context) => Context = context;

    internal MLContext Context { get; }

    /// <summary>
    /// Saves <paramref name="model"/> and the schema of the data it takes to <paramref name="filePath"/>, atomically:
    /// if anything fails, a previous file at that path is left as it was and no temporary file remains.
    /// </summary>
    /// <param name="model">The model; it (and each part of a chain) must implement <see cref="ICanSaveModel"/>.</param>
    /// <param name="inputSchema">The schema of the model's input, returned by <see cref="Load(string, out DataViewSchema)"/>; may be null.</param>
    /// <param name="filePath">The file to write.</param>
    /// <exception cref="ArgumentException">A part of the model cannot be saved.</exception>
    public void Save(ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        ModelFileWriter.WriteFile(model, inputSchema, filePath);
    }

    /// <summary>Saves <paramref name="model"/> and the schema of the data it takes to <paramref name="stream"/> (left open).</summary>
    /// <param name="model">The model; it (and each part of a chain) must implement <see cref="ICanSaveModel"/>.</param>
    /// <param name="inputSchema">The schema of the model's input; may be null.</param>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentException">A part of the model cannot be saved (nothing is written then).</exception>
    public void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        ModelFileWriter.Write(model, inputSchema, stream);
    }

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema, string)"/>.</summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="inputSchema">The saved input schema (null when none was saved).</param>
    /// <exception cref="InvalidDataException">The file is not a valid model (truncated, corrupt, foreign, another format version, unknown kind); the message names the file and the problem.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var model = ModelFileReader.Read(stream, filePath, out var schema);
        inputSchema = schema!;
        return model;
    }

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema, Stream)"/> from <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="inputSchema">The saved input schema (null when none was saved).</param>
    /// <exception cref="InvalidDataException">The stream does not hold a valid model; the message says what is wrong.</exception>
    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        var model = ModelFileReader.Read(stream, "the stream", out var schema);
        inputSchema = schema!;
        return model;
    }

    /// <summary>
    /// A prediction engine that scores single <typeparamref name="TSrc"/> examples with <paramref name="transformer"/>
    /// into <typeparamref name="TDst"/> objects. Not thread-safe: see <see cref="PredictionEngine{TSrc, TDst}"/>.
    /// </summary>
    /// <typeparam name="TSrc">The example class.</typeparam>
    /// <typeparam name="TDst">The prediction class.</typeparam>
    /// <param name="transformer">The model; must map rows one to one.</param>
    /// <param name="ignoreMissingColumns">Whether members of <typeparamref name="TDst"/> with no output column are left alone instead of failing.</param>
    /// <param name="inputSchemaDefinition">Overrides the input columns derived from <typeparamref name="TSrc"/>.</param>
    /// <param name="outputSchemaDefinition">Overrides the output columns derived from <typeparamref name="TDst"/>.</param>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new PredictionEngine<TSrc, TDst>(transformer, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition);
    }
}
