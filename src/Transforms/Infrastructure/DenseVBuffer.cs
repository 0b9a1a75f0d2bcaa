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
}
