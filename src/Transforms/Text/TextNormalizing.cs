using System.Globalization;
using System.Text;
using MLNetExt.Data;

namespace MLNetExt.Transforms.Text;

/// <summary>
/// Normalizes text, as ML.NET's <c>TextNormalizingEstimator</c>: changes its case, and optionally removes diacritics,
/// punctuation and digits. A text column (or vector of text, item by item) becomes a column of the same type.
/// Made by <c>mlContext.Transforms.Text.NormalizeText</c>.
/// </summary>
public sealed class TextNormalizingEstimator : IEstimator<TextNormalizingTransformer>
{
    private readonly TextNormalizingTransformer.Options _options;

    /// <summary>How the case of letters is changed.</summary>
    public enum CaseMode
    {
        /// <summary>To lower case (invariant culture).</summary>
        Lower = 0,

        /// <summary>To upper case (invariant culture).</summary>
        Upper = 1,

        /// <summary>Left as it is.</summary>
        None = 2,
    }

    internal TextNormalizingEstimator(string outputColumnName, string? inputColumnName, CaseMode caseMode,
        bool keepDiacritics, bool keepPunctuations, bool keepNumbers)
    {
        if (!Enum.IsDefined(caseMode))
            throw new ArgumentOutOfRangeException(nameof(caseMode), caseMode, "Expected Lower, Upper or None.");
        _options = new TextNormalizingTransformer.Options
        {
            OutputColumnName = ColumnChecks.RequireName(outputColumnName, nameof(outputColumnName)),
            InputColumnName = inputColumnName ?? outputColumnName,
            CaseMode = caseMode,
            KeepDiacritics = keepDiacritics,
            KeepPunctuations = keepPunctuations,
            KeepNumbers = keepNumbers,
        };
    }

    /// <summary>Nothing to learn: checks the schema and returns the transformer.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    public TextNormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new TextNormalizingTransformer(_options);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>Adds the output column, shaped as the input; the input must be text or a vector of text.</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, _options.InputColumnName);
        if (input.IsKey || !input.ItemType.Equals(TextDataViewType.Instance))
            throw ColumnChecks.WrongType(input, "String or vector of String");
        return new SchemaShape(inputSchema.Append(ColumnChecks.Shape(_options.OutputColumnName, input.Kind, TextDataViewType.Instance, false)));
    }
}

/// <summary>The fitted text normalizer; saved as kind <c>"TextNormalizing"</c>.</summary>
public sealed class TextNormalizingTransformer : ColumnAddingTransformer, ICanSaveModel
{
    internal const string Kind = "TextNormalizing";

    // Base letters of U+00C0..U+00FF and U+0100..U+017F without their diacritics; '*' keeps the character
    // (ligatures and letters that are not a base letter plus a mark). Invariant globalization has no Unicode
    // decomposition data, so the common Latin letters are mapped here and combining marks are dropped.
    private const string Latin1Bases = "AAAAAA*CEEEEIIII*NOOOOO*OUUUUY**aaaaaa*ceeeeiiii*nooooo*ouuuuy*y";
    private const string LatinExtendedABases =
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKk*LlLlLlLlLlNnNnNnn**OoOoOo**RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZz*";

    private readonly Options _options;

    internal TextNormalizingTransformer(Options options) => _options = options;

    /// <summary>The saved settings.</summary>
    internal sealed class Options
    {
        public string OutputColumnName { get; set; } = "";

        public string InputColumnName { get; set; } = "";

        public TextNormalizingEstimator.CaseMode CaseMode { get; set; }

        public bool KeepDiacritics { get; set; }

        public bool KeepPunctuations { get; set; } = true;

        public bool KeepNumbers { get; set; } = true;
    }

    /// <summary>Saves the column names and the normalization settings.</summary>
    /// <param name="context">The context to write into.</param>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(_options);
    }

    internal static TextNormalizingTransformer Load(ModelLoadContext context)
    {
        var options = context.GetOptions<Options>();
        if (string.IsNullOrEmpty(options.InputColumnName) || string.IsNullOrEmpty(options.OutputColumnName) || !Enum.IsDefined(options.CaseMode))
            throw context.Invalid("it needs input and output column names and a valid case mode");
        return new TextNormalizingTransformer(options);
    }

    /// <summary>Normalizes one text as the options say; returns the input itself when nothing changes.</summary>
    internal ReadOnlyMemory<char> Normalize(ReadOnlyMemory<char> text, StringBuilder buffer)
    {
        buffer.Clear();
        bool changed = false;
        foreach (char original in text.Span)
        {
            char c = original;
            if (!_options.KeepDiacritics)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                {
                    changed = true;
                    continue;
                }
                c = WithoutDiacritic(c);
            }
            if ((!_options.KeepPunctuations && char.IsPunctuation(c)) || (!_options.KeepNumbers && char.IsDigit(c)))
            {
                changed = true;
                continue;
            }
            c = _options.CaseMode switch
            {
                TextNormalizingEstimator.CaseMode.Lower => char.ToLowerInvariant(c),
                TextNormalizingEstimator.CaseMode.Upper => char.ToUpperInvariant(c),
                _ => c,
            };
            changed |= c != original;
            buffer.Append(c);
        }
        return changed ? buffer.ToString().AsMemory() : text;
    }

    private static char WithoutDiacritic(char c)
    {
        char mapped = c switch
        {
            >= '\u00C0' and <= '\u00FF' => Latin1Bases[c - '\u00C0'],
            >= '\u0100' and <= '\u017F' => LatinExtendedABases[c - '\u0100'],
            _ => '*',
        };
        return mapped == '*' ? c : mapped;
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, _options.InputColumnName);
        if (!ColumnChecks.ItemType(input.Type).Equals(TextDataViewType.Instance))
            throw ColumnChecks.WrongType(input.Name, "String or vector of String", input.Type);
        var output = new DataViewSchema.DetachedColumn(_options.OutputColumnName, input.Type);
        var factory = input.Type is VectorDataViewType
            ? ColumnGetterFactory.Of<VBuffer<ReadOnlyMemory<char>>>(row =>
            {
                var getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(input);
                VBuffer<ReadOnlyMemory<char>> texts = default;
                var buffer = new StringBuilder();
                return (ref VBuffer<ReadOnlyMemory<char>> value) =>
                {
                    getter(ref texts);
                    var source = texts.GetValues();
                    var items = VBuffer<ReadOnlyMemory<char>>.PrepareDense(ref value, source.Length);
                    for (int i = 0; i < source.Length; i++)
                        items[i] = Normalize(source[i], buffer);
                };
            })
            : ColumnGetterFactory.Of<ReadOnlyMemory<char>>(row =>
            {
                var getter = row.GetGetter<ReadOnlyMemory<char>>(input);
                var buffer = new StringBuilder();
                return (ref ReadOnlyMemory<char> value) =>
                {
                    getter(ref value);
                    value = Normalize(value, buffer);
                };
            });
        return [new AddedColumn(output, [input], factory)];
    }
}
