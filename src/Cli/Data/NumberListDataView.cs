using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>
/// A view of loaded text in which some text columns are read as vectors of Single: each field holds the numbers
/// separated by spaces (e.g. <c>"1.5 2 -0.25"</c>), the format <c>mlnetext predict</c> writes variable-length vectors in.
/// A column whose model type has a known size must hold exactly that many numbers; an empty field or <c>?</c>
/// (like <c>NaN</c>) is a missing value.
/// </summary>
internal sealed class NumberListDataView : IDataView
{
    private readonly IDataView _source;
    private readonly Dictionary<int, VectorDataViewType> _vectors;
    private readonly string _path;

    /// <param name="source">The loaded file, with each vector column read as text.</param>
    /// <param name="vectors">The columns to parse, by name, with the vector type the model expects.</param>
    /// <param name="path">The file, for error messages.</param>
    public NumberListDataView(IDataView source, IReadOnlyDictionary<string, VectorDataViewType> vectors, string path)
    {
        _source = source;
        _path = path;
        _vectors = [];
        var builder = new DataViewSchema.Builder();
        foreach (var column in source.Schema)
        {
            if (vectors.TryGetValue(column.Name, out var type))
            {
                _vectors[column.Index] = type;
                builder.AddColumn(column.Name, type);
            }
            else
            {
                builder.AddColumn(column.Name, column.Type, column.Annotations);
            }
        }
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, _source.GetRowCursor(SourceColumns(columnsNeeded), rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [.. _source.GetRowCursorSet(SourceColumns(columnsNeeded), n, rand).Select(cursor => new Cursor(this, cursor))];

    private IEnumerable<DataViewSchema.Column> SourceColumns(IEnumerable<DataViewSchema.Column> columns) =>
        columns.Select(c => _source.Schema[c.Index]).ToList();

    private sealed class Cursor(NumberListDataView view, DataViewRowCursor source) : DataViewRowCursor
    {
        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override DataViewSchema Schema => view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(view._source.Schema[column.Index]);

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool MoveNext() => source.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!view._vectors.TryGetValue(column.Index, out var type))
                return source.GetGetter<TValue>(view._source.Schema[column.Index]);
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' holds {type}, not {typeof(TValue).Name}.");
            var text = source.GetGetter<ReadOnlyMemory<char>>(view._source.Schema[column.Index]);
            ReadOnlyMemory<char> field = default;
            var values = new List<float>();
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                text(ref field);
                Parse(field.Span, values, column.Name, type);
                value = new VBuffer<float>(values.Count, [.. values]);
            };
            return (ValueGetter<TValue>)(object)getter;
        }

        private void Parse(ReadOnlySpan<char> field, List<float> values, string name, VectorDataViewType type)
        {
            values.Clear();
            foreach (var range in field.Split(' '))
            {
                var item = field[range].Trim();
                if (item.IsEmpty)
                    continue;
                if (item is "?")
                    values.Add(float.NaN);
                else if (float.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out float number))
                    values.Add(number);
                else
                    throw new CliException($"'{view._path}', column '{name}', row {source.Position + 1}: '{item}' is not a number; the column holds numbers separated by spaces.");
            }
            if (type.IsKnownSize && values.Count != type.Size)
                throw new CliException($"'{view._path}', column '{name}', row {source.Position + 1}: {values.Count} number(s) where the model reads {type.Size}, separated by spaces.");
        }
    }
}
