using System.Globalization;

namespace MLNetExt.Data;

/// <summary>Where a field being parsed comes from, for error messages.</summary>
internal readonly record struct FieldLocation(string Path, long Line, string Column, int FieldIndex);

/// <summary>Parses one text field into a column item of type <typeparamref name="T"/>.</summary>
internal abstract class TextFieldParser<T>
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="present"/> is false when the record has no such field.</summary>
    public abstract T Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where);

    protected static FormatException Unparsable(ReadOnlySpan<char> text, DataViewType type, in FieldLocation where) =>
        new($"Cannot parse '{text}' as {type} for column '{where.Column}' (field {where.FieldIndex}) at line {where.Line} of file '{where.Path}'.");

    protected static FormatException Missing(DataViewType type, bool present, in FieldLocation where) =>
        new($"Missing value for column '{where.Column}' (field {where.FieldIndex}{(present ? " is empty" : " is absent")}) at line {where.Line} of file '{where.Path}': {type} has no missing value.");
}

/// <summary>Makes the parser for a column item type.</summary>
internal static class TextFieldParsers
{
    public static TextFieldParser<T> For<T>(PrimitiveDataViewType type) => (TextFieldParser<T>)(object)(type switch
    {
        KeyDataViewType key => new KeyParser(key),
        _ when type == NumberDataViewType.Single => new SingleParser(),
        _ when type == NumberDataViewType.Double => new DoubleParser(),
        _ when type == NumberDataViewType.Int32 => new Int32Parser(),
        _ when type == NumberDataViewType.UInt32 => new UInt32Parser(),
        BooleanDataViewType => new BooleanParser(),
        TextDataViewType => new TextParser(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No text parser for this column type."),
    });

    private static bool IsMissingReal(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.IsEmpty || text is "?" || text.Equals("NaN", StringComparison.OrdinalIgnoreCase)
            || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("N/A", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class SingleParser : TextFieldParser<float>
    {
        public override float Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where)
        {
            if (IsMissingReal(text.Span))
                return float.NaN;
            return float.TryParse(text.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                ? value : throw Unparsable(text.Span, NumberDataViewType.Single, where);
        }
    }

    private sealed class DoubleParser : TextFieldParser<double>
    {
        public override double Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where)
        {
            if (IsMissingReal(text.Span))
                return double.NaN;
            return double.TryParse(text.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value : throw Unparsable(text.Span, NumberDataViewType.Double, where);
        }
    }

    private sealed class Int32Parser : TextFieldParser<int>
    {
        public override int Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where)
        {
            if (text.Span.IsWhiteSpace())
                throw Missing(NumberDataViewType.Int32, present, where);
            return int.TryParse(text.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                ? value : throw Unparsable(text.Span, NumberDataViewType.Int32, where);
        }
    }

    private sealed class UInt32Parser : TextFieldParser<uint>
    {
        public override uint Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where)
        {
            if (text.Span.IsWhiteSpace())
                throw Missing(NumberDataViewType.UInt32, present, where);
            return uint.TryParse(text.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out uint value)
                ? value : throw Unparsable(text.Span, NumberDataViewType.UInt32, where);
        }
    }

    private sealed class KeyParser(KeyDataViewType type) : TextFieldParser<uint>
    {
        public override uint Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where)
        {
            if (text.Span.IsWhiteSpace())
                throw Missing(type, present, where);
            if (!ulong.TryParse(text.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong index) || index >= type.Count)
                throw Unparsable(text.Span, type, where);
            return (uint)index + 1;
        }
    }

    private sealed class BooleanParser : TextFieldParser<bool>
    {
        public override bool Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where)
        {
            var span = text.Span.Trim();
            if (span.IsEmpty)
                throw Missing(BooleanDataViewType.Instance, present, where);
            if (Is(span, "true") || Is(span, "t") || Is(span, "yes") || Is(span, "y") || span is "1" or "+1")
                return true;
            if (Is(span, "false") || Is(span, "f") || Is(span, "no") || Is(span, "n") || span is "0" or "-1")
                return false;
            throw Unparsable(span, BooleanDataViewType.Instance, where);
        }

        private static bool Is(ReadOnlySpan<char> span, string word) => span.Equals(word, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class TextParser : TextFieldParser<ReadOnlyMemory<char>>
    {
        public override ReadOnlyMemory<char> Parse(ReadOnlyMemory<char> text, bool present, in FieldLocation where) => text;
    }
}
