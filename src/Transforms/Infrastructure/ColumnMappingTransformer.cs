using MLNetExt.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// Base of the transformers whose only settings are one input column and the output column it becomes (a copy, a
/// key-to-value mapping): it keeps the two names and saves and checks them, under the derived transformer's kind.
/// </summary>
public abstract class ColumnMappingTransformer : ColumnAddingTransformer, ICanSaveModel
{
    private readonly string _kind;

    private protected ColumnMappingTransformer(string kind, string outputColumnName, string inputColumnName)
    {
        _kind = kind;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    private protected string OutputColumnName { get; }

    private protected string InputColumnName { get; }

    /// <summary>Saves the column names.</summary>
    /// <param name="context">The context to write into.</param>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(_kind);
        context.SetOptions(new SavedNames { OutputColumnName = OutputColumnName, InputColumnName = InputColumnName });
    }

    /// <summary>The saved names, (output, input), both required.</summary>
    private protected static (string Output, string Input) LoadNames(ModelLoadContext context)
    {
        var names = context.GetOptions<SavedNames>();
        if (string.IsNullOrEmpty(names.InputColumnName) || string.IsNullOrEmpty(names.OutputColumnName))
            throw context.Invalid("it needs input and output column names");
        return (names.OutputColumnName, names.InputColumnName);
    }

    private sealed class SavedNames
    {
        public string OutputColumnName { get; set; } = "";

        public string InputColumnName { get; set; } = "";
    }
}
