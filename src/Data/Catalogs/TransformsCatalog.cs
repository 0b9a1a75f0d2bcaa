namespace MLNetExt.Data;

/// <summary>
/// The catalog of data transforms, as ML.NET's <c>TransformsCatalog</c>; transforms are added to it, and to its
/// <see cref="Text"/> and <see cref="Conversion"/> sub-catalogs, as extension methods.
/// </summary>
public sealed partial class TransformsCatalog
{
    internal TransformsCatalog(MLContext context)
    {
        Context = context;
        Text = new TextTransforms(context);
        Conversion = new ConversionTransforms(context);
    }

    /// <summary>Text transforms (tokenizing, embedding, ...).</summary>
    public TextTransforms Text { get; }

    /// <summary>Type conversions (to keys and back, ...).</summary>
    public ConversionTransforms Conversion { get; }

    internal MLContext Context { get; }

    /// <summary>The catalog of text transforms.</summary>
    public sealed class TextTransforms
    {
        internal TextTransforms(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }

    /// <summary>The catalog of type-conversion transforms.</summary>
    public sealed class ConversionTransforms
    {
        internal ConversionTransforms(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }
}
