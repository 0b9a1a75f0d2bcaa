namespace MLNetExt.Data;

public sealed partial class DataViewSchema
{
    /// <summary>
    /// Extra information attached to a column, as ML.NET's <c>DataViewSchema.Annotations</c>: a set of values
    /// identified by a kind (e.g. <c>"SlotNames"</c>, <see cref="AnnotationUtils.Kinds.ImageShape"/>), each with a
    /// type described by <see cref="Schema"/>.
    /// </summary>
    public sealed class Annotations
    {
        private readonly Delegate[] _getters;

        private Annotations(DataViewSchema schema, Delegate[] getters)
        {
            Schema = schema;
            _getters = getters;
        }

        /// <summary>No annotations.</summary>
        public static Annotations Empty { get; } = new(new DataViewSchema.Builder().ToSchema(), []);

        /// <summary>One column per annotation kind, giving its name and type.</summary>
        public DataViewSchema Schema { get; }

        /// <summary>The getter of the annotation that <paramref name="column"/> of <see cref="Schema"/> describes.</summary>
        /// <typeparam name="TValue">The annotation's raw type.</typeparam>
        /// <param name="column">A column of <see cref="Schema"/>.</param>
        public ValueGetter<TValue> GetGetter<TValue>(Column column)
        {
            if ((uint)column.Index >= (uint)_getters.Length || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(column), $"Annotation '{column.Name}' is not one of these annotations.");
            return _getters[column.Index] as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Invalid TValue in GetGetter for annotation '{column.Name}': expected {column.Type.RawType}, got {typeof(TValue)}.");
        }

        /// <summary>Reads the annotation of kind <paramref name="kind"/> into <paramref name="value"/>.</summary>
        /// <typeparam name="TValue">The annotation's raw type.</typeparam>
        /// <param name="kind">The annotation kind.</param>
        /// <param name="value">Receives the value.</param>
        /// <exception cref="InvalidOperationException">There is no annotation of that kind.</exception>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            var column = Schema.GetColumnOrNull(kind)
                ?? throw new InvalidOperationException($"There is no annotation of kind '{kind}'.");
            GetGetter<TValue>(column)(ref value);
        }

        /// <summary>Collects annotations and makes an <see cref="Annotations"/> of them.</summary>
        public sealed class Builder
        {
            private readonly DataViewSchema.Builder _schema = new();
            private readonly List<Delegate> _getters = [];

            /// <summary>Adds an annotation whose value <paramref name="getter"/> produces.</summary>
            /// <typeparam name="TValue">The raw type of <paramref name="type"/>.</typeparam>
            /// <param name="kind">The annotation kind.</param>
            /// <param name="type">The annotation's type.</param>
            /// <param name="getter">Produces the value.</param>
            public void Add<TValue>(string kind, DataViewType type, ValueGetter<TValue> getter)
            {
                ArgumentNullException.ThrowIfNull(type);
                ArgumentNullException.ThrowIfNull(getter);
                if (type.RawType != typeof(TValue))
                    throw new ArgumentException($"Annotation '{kind}' has type {type}, whose values are {type.RawType}, not {typeof(TValue)}.", nameof(type));
                _schema.AddColumn(kind, type);
                _getters.Add(getter);
            }

            /// <summary>Adds an annotation with a fixed value.</summary>
            /// <typeparam name="TValue">The raw type of <paramref name="type"/>.</typeparam>
            /// <param name="kind">The annotation kind.</param>
            /// <param name="type">The annotation's type.</param>
            /// <param name="value">The value.</param>
            public void Add<TValue>(string kind, DataViewType type, TValue value) =>
                Add(kind, type, (ref TValue destination) => destination = value);

            /// <summary>Adds the annotations of <paramref name="annotations"/> whose kind <paramref name="selector"/> accepts.</summary>
            /// <param name="annotations">The annotations to copy from.</param>
            /// <param name="selector">Chooses kinds by name.</param>
            public void Add(Annotations annotations, Func<string, bool> selector)
            {
                ArgumentNullException.ThrowIfNull(annotations);
                ArgumentNullException.ThrowIfNull(selector);
                foreach (var column in annotations.Schema)
                {
                    if (column.IsHidden || !selector(column.Name))
                        continue;
                    _schema.AddColumn(column.Name, column.Type);
                    _getters.Add(annotations._getters[column.Index]);
                }
            }

            /// <summary>Makes an <see cref="Annotations"/> of what was added.</summary>
            public Annotations ToAnnotations() => new(_schema.ToSchema(), [.. _getters]);
        }
    }
}
