using System.Text.Json.Nodes;

namespace MLNetExt.Data;

/// <summary>
/// Writes a <see cref="DataViewSchema"/> (every column, hidden ones included, with its type and annotations) as
/// JSON and reads it back. Types are written by name from a closed list, never as .NET type names.
/// </summary>
internal static class ModelSchemaJson
{
    public static JsonArray Write(DataViewSchema schema)
    {
        var columns = new JsonArray();
        foreach (var column in schema)
        {
            var annotations = new JsonArray();
            foreach (var annotation in column.Annotations.Schema)
            {
                annotations.Add(new JsonObject
                {
                    ["kind"] = annotation.Name,
                    ["type"] = WriteType(annotation.Type),
                    ["value"] = WriteAnnotationValue(column.Annotations, annotation),
                });
            }
            columns.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = WriteType(column.Type),
                ["annotations"] = annotations,
            });
        }
        return columns;
    }

    public static DataViewSchema Read(JsonNode? node, Func<string, Exception> invalid)
    {
        if (node is not JsonArray columns)
            throw invalid("the input schema is not a JSON array of columns");
        var builder = new DataViewSchema.Builder();
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i] is not JsonObject column || column["name"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                throw invalid($"input schema column {i} is not an object with a name");
            string name = column["name"]!.GetValue<string>();
            if (name.Length == 0)
                throw invalid($"input schema column {i} has an empty name");
            var type = ReadType(column["type"], $"input schema column '{name}'", invalid);
            var annotations = new DataViewSchema.Annotations.Builder();
            if (column["annotations"] is not JsonArray list)
                throw invalid($"input schema column '{name}' has no annotations array");
            foreach (var item in list)
            {
                if (item is not JsonObject annotation || annotation["kind"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                    throw invalid($"an annotation of input schema column '{name}' is not an object with a kind");
                string kind = annotation["kind"]!.GetValue<string>();
                string describe = $"annotation '{kind}' of input schema column '{name}'";
                var annotationType = ReadType(annotation["type"], describe, invalid);
                AddAnnotation(annotations, kind, annotationType, annotation["value"], describe, invalid);
            }
            builder.AddColumn(name, type, annotations.ToAnnotations());
        }
        return builder.ToSchema();
    }

    private static JsonObject WriteType(DataViewType type)
    {
        var result = new JsonObject();
        var item = type is VectorDataViewType vector ? vector.ItemType : type;
        if (item is KeyDataViewType key)
        {
            result["item"] = "Key";
            result["keyCount"] = key.Count;
        }
        else
        {
            result["item"] = ModelValueCodec.TypeName(item.RawType)
                ?? throw new ArgumentException($"Column type {type} cannot be saved in a model file.", nameof(type));
        }
        if (type is VectorDataViewType v)
            result["dimensions"] = new JsonArray([.. v.Dimensions.Select(d => (JsonNode)d)]);
        return result;
    }

    private static DataViewType ReadType(JsonNode? node, string describe, Func<string, Exception> invalid)
    {
        if (node is not JsonObject type || type["item"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
            throw invalid($"{describe} has no valid type");
        PrimitiveDataViewType item = type["item"]!.GetValue<string>() switch
        {
            "Single" => NumberDataViewType.Single,
            "Double" => NumberDataViewType.Double,
            "Int32" => NumberDataViewType.Int32,
            "UInt32" => NumberDataViewType.UInt32,
            "Boolean" => BooleanDataViewType.Instance,
            "Text" => TextDataViewType.Instance,
            "Key" => type["keyCount"] is JsonValue count && count.TryGetValue(out ulong c) && c is > 0 and <= uint.MaxValue
                ? new KeyDataViewType(typeof(uint), c)
                : throw invalid($"{describe} is a key type without a valid key count"),
            var other => throw invalid($"{describe} has the unknown item type '{other}'"),
        };
        if (type["dimensions"] is null)
            return item;
        if (type["dimensions"] is not JsonArray dims || dims.Count == 0 || dims.Count > 8)
            throw invalid($"{describe} has invalid vector dimensions");
        var dimensions = new int[dims.Count];
        long size = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] is not JsonValue d || !d.TryGetValue(out int dimension) || dimension < 0)
                throw invalid($"{describe} has invalid vector dimensions");
            dimensions[i] = dimension;
            size *= dimension;
            if (size > int.MaxValue)
                throw invalid($"{describe} has a vector larger than int.MaxValue items");
        }
        return new VectorDataViewType(item, dimensions);
    }

    private static JsonNode WriteAnnotationValue(DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        var item = annotation.Type is VectorDataViewType vector ? vector.ItemType : annotation.Type;
        return item.RawType switch
        {
            var t when t == typeof(float) => WriteTyped<float>(annotations, annotation),
            var t when t == typeof(double) => WriteTyped<double>(annotations, annotation),
            var t when t == typeof(int) => WriteTyped<int>(annotations, annotation),
            var t when t == typeof(uint) => WriteTyped<uint>(annotations, annotation),
            var t when t == typeof(bool) => WriteTyped<bool>(annotations, annotation),
            _ => WriteTyped<ReadOnlyMemory<char>>(annotations, annotation),
        };
    }

    private static JsonNode WriteTyped<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        if (annotation.Type is VectorDataViewType)
        {
            VBuffer<T> vector = default;
            annotations.GetGetter<VBuffer<T>>(annotation)(ref vector);
            return ModelValueCodec.Write(vector.GetValues());
        }
        T value = default!;
        annotations.GetGetter<T>(annotation)(ref value);
        return ModelValueCodec.Write<T>([value]);
    }

    private static void AddAnnotation(DataViewSchema.Annotations.Builder builder, string kind, DataViewType type, JsonNode? value,
        string describe, Func<string, Exception> invalid)
    {
        var item = type is VectorDataViewType vector ? vector.ItemType : type;
        switch (item.RawType)
        {
            case var t when t == typeof(float): AddTyped<float>(builder, kind, type, value, describe, invalid); break;
            case var t when t == typeof(double): AddTyped<double>(builder, kind, type, value, describe, invalid); break;
            case var t when t == typeof(int): AddTyped<int>(builder, kind, type, value, describe, invalid); break;
            case var t when t == typeof(uint): AddTyped<uint>(builder, kind, type, value, describe, invalid); break;
            case var t when t == typeof(bool): AddTyped<bool>(builder, kind, type, value, describe, invalid); break;
            default: AddTyped<ReadOnlyMemory<char>>(builder, kind, type, value, describe, invalid); break;
        }
    }

    private static void AddTyped<T>(DataViewSchema.Annotations.Builder builder, string kind, DataViewType type, JsonNode? value,
        string describe, Func<string, Exception> invalid)
    {
        var items = ModelValueCodec.Read<T>(value, describe, invalid);
        if (type is VectorDataViewType vector)
        {
            if (vector.IsKnownSize && items.Length != vector.Size)
                throw invalid($"{describe} has {items.Length} items but its type holds {vector.Size}");
            builder.Add(kind, type, (ref VBuffer<T> destination) => VBuffer<T>.Copy(new VBuffer<T>(items.Length, items), ref destination));
            return;
        }
        if (items.Length != 1)
            throw invalid($"{describe} is a scalar but holds {items.Length} items");
        builder.Add(kind, type, items[0]);
    }
}
