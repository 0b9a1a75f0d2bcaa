// Loads a saved model with plain ML.NET (no MLNetExt assembly is referenced or loaded), scores the rows of a CSV or TSV
// file and prints the scorer columns as JSON Lines, one object per row.
//
// Usage: MLNetExt.PlainMLNet.Consumer <model.zip> <rows.csv|rows.tsv> [column ...]
//
// The file starts with a header naming the model's input columns in the order of its input schema; a vector column of
// n slots spans n fields named Name.0 ... Name.{n-1}. Without columns named, Score, Probability and PredictedLabel are
// printed where the model has them. Any failure ends as one line on standard error and exit code 1.
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.PlainMLNet.Consumer;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MLNetExt.PlainMLNet.Consumer <model.zip> <rows.csv|rows.tsv> [column ...]");
    return 2;
}

try
{
    var ml = new MLContext(seed: 0);
    var model = ml.Model.Load(args[0], out var inputSchema);
    char separator = string.Equals(Path.GetExtension(args[1]), ".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
    var (columns, header) = InputLayout(inputSchema);
    string found = File.ReadLines(args[1]).FirstOrDefault() ?? "";
    if (found != string.Join(separator, header))
        throw new InvalidOperationException($"the header is '{found}', but the model's input needs '{string.Join(separator, header)}'");

    var rows = ml.Data.CreateTextLoader(new TextLoader.Options { Columns = columns, Separators = [separator], HasHeader = true, AllowQuoting = true })
        .Load(args[1]);
    var scored = model.Transform(rows);
    string[] printed = args.Length > 2 ? args[2..] : ScoredRows.ScorerColumnsOf(scored.Schema);
    ScoredRows.WriteJsonLines(ml, scored, printed, Console.Out);
    return 0;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"consumer: {e.GetType().Name}: {e.Message.Split('\n', 2)[0]}");
    return 1;
}

// The text loader's columns for the model's input schema, one field per scalar and per vector slot, and the header
// that names those fields.
static (TextLoader.Column[] Columns, List<string> Header) InputLayout(DataViewSchema inputSchema)
{
    var columns = new List<TextLoader.Column>();
    var header = new List<string>();
    foreach (var column in inputSchema.Where(c => !c.IsHidden))
    {
        var item = ScoredRows.ItemType(column.Type);
        DataKind kind = item.RawType switch
        {
            var t when t == typeof(float) && item is not KeyDataViewType => DataKind.Single,
            var t when t == typeof(double) => DataKind.Double,
            var t when t == typeof(bool) => DataKind.Boolean,
            var t when t == typeof(int) => DataKind.Int32,
            var t when t == typeof(long) => DataKind.Int64,
            var t when t == typeof(ReadOnlyMemory<char>) => DataKind.String,
            _ => throw new InvalidOperationException($"input column '{column.Name}' is of type {column.Type}, which a text file cannot give here"),
        };
        int first = header.Count;
        if (column.Type is VectorDataViewType vector)
        {
            if (!vector.IsKnownSize)
                throw new InvalidOperationException($"input column '{column.Name}' is a vector of unknown size, which a text file's fields cannot give");
            header.AddRange(Enumerable.Range(0, vector.Size).Select(slot => $"{column.Name}.{slot}"));
        }
        else
        {
            header.Add(column.Name);
        }
        columns.Add(new TextLoader.Column(column.Name, kind, first, header.Count - 1));
    }
    return ([.. columns], header);
}
