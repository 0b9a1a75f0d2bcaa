using Microsoft.ML.Data;

namespace MLNetExt.Transforms;

/// <summary>Fills a getter's destination <see cref="VBuffer{T}"/> as a dense vector, reusing its arrays when they are big enough.</summary>
internal static class DenseVBuffer
{
    /// <summary>Makes <paramref name="destination"/> a dense copy of <paramref name="source"/>.</summary>
    public static void Write<T>(ref VBuffer<T> destination, ReadOnlySpan<T> source)
    {
        var editor = VBufferEditor.Create(ref destination, source.Length);
        source.CopyTo(editor.Values);
        destination = editor.Commit();
    }

    /// <summary>Makes <paramref name="destination"/> a dense vector of <paramref name="length"/> items written by <paramref name="fill"/>.</summary>
    public static void Write<T, TState>(ref VBuffer<T> destination, int length, TState state, SpanAction<T, TState> fill)
    {
        var editor = VBufferEditor.Create(ref destination, length);
        fill(editor.Values, state);
        destination = editor.Commit();
    }

    /// <summary>Writes the items of a dense vector.</summary>
    public delegate void SpanAction<T, in TState>(Span<T> values, TState state);
}
