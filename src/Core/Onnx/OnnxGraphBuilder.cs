using System.Globalization;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;

namespace MLNetExt.Core.Onnx;

/// <summary>
/// Writes one ONNX model (IR version 8): typed graph inputs and outputs, initializers, nodes with typed attributes,
/// operator-set imports and metadata, then <see cref="ToBytes"/> for ONNX Runtime or a file.
/// </summary>
/// <remarks>
/// <para>Names: graph inputs, outputs and initializers keep the names given (layers use their PyTorch
/// <c>state_dict</c> names, such as <c>rnn.weight_ih_l0</c>); nodes are named as PyTorch's exporter names them,
/// <c>/scope/OpType</c> with a <c>_1</c>, <c>_2</c>, … suffix when repeated, and their outputs
/// <c>/scope/OpType_output_0</c>, so every intermediate name is unique.</para>
/// <para>Operator sets: the default domain at <see cref="OpsetVersion"/> (17 unless chosen), and <c>ai.onnx.ml</c>
/// version 3 as soon as a node of that domain is added.</para>
/// <para>Nodes must be added in topological order (each node after the nodes producing its inputs), as ONNX requires.</para>
/// </remarks>
public sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX IR version written (8: ONNX 1.10 and later, ONNX Runtime 1.10 and later).</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain operator set used unless another is chosen.</summary>
    public const int DefaultOpsetVersion = 17;

    /// <summary>The domain of ONNX's traditional machine-learning operators.</summary>
    public const string MLDomain = "ai.onnx.ml";

    private const int MLOpsetVersion = 3;

    private readonly GraphProto _graph;
    // The names visible in this graph (its inputs, initializers and node outputs); a subgraph also sees its parent's.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    // Every name in the whole model, subgraphs included, shared by the builders of one model: ONNX wants a value's
    // name unique across a graph and the graphs nested in it.
    private readonly HashSet<string> _allNames;
    private readonly OnnxGraphBuilder? _parent;
    private readonly Dictionary<string, int> _nodeNameCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _int64Constants = new(StringComparer.Ordinal);
    private readonly Dictionary<float, string> _floatConstants = [];
    private readonly List<StringStringEntryProto> _metadata = [];
    private readonly SortedSet<string> _domains;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name.</param>
    /// <param name="opsetVersion">The default-domain operator set, at least 17 (LayerNormalization and the exporters' forms need it).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opsetVersion"/> is below 17.</exception>
    public OnnxGraphBuilder(string graphName = "main_graph", int opsetVersion = DefaultOpsetVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, DefaultOpsetVersion);
        _graph = new GraphProto { Name = graphName };
        OpsetVersion = opsetVersion;
        _allNames = new(StringComparer.Ordinal);
        _domains = new(StringComparer.Ordinal);
    }

    private OnnxGraphBuilder(OnnxGraphBuilder parent, string graphName)
    {
        _graph = new GraphProto { Name = graphName };
        OpsetVersion = parent.OpsetVersion;
        _parent = parent;
        _allNames = parent._allNames;
        _domains = parent._domains;
    }

    /// <summary>
    /// Starts a graph nested in this one, for a control-flow node's body (<c>Loop</c>'s <c>body</c>, <c>If</c>'s
    /// branches; see <see cref="OnnxAttribute.Graph"/>). Its nodes may read any value this graph defines (outer-scope
    /// references, as ONNX allows), while the names it creates stay unique across the whole model. Its inputs and
    /// outputs are the body's signature; take the result with <see cref="BuildGraph"/>.
    /// </summary>
    public OnnxGraphBuilder CreateSubgraph(string graphName)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        return new OnnxGraphBuilder(this, graphName);
    }

    /// <summary>The graph alone, without a model around it (a fresh copy on each call): a subgraph's form.</summary>
    public GraphProto BuildGraph() => _graph.Clone();

    // Whether a node of this graph may read the value named so: one of its own, or one its enclosing graphs define.
    private bool IsDefined(string name) => _names.Contains(name) || (_parent?.IsDefined(name) ?? false);

    /// <summary>The default-domain operator set version.</summary>
    public int OpsetVersion { get; }

    /// <summary>The model's <c>producer_name</c>.</summary>
    public string ProducerName { get; set; } = "MLNetExt";

    /// <summary>The model's <c>producer_version</c> (default: this assembly's version).</summary>
    public string ProducerVersion { get; set; } = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "";

    /// <summary>The model's <c>doc_string</c>.</summary>
    public string DocString { get; set; } = "";

    /// <summary>Adds a graph input.</summary>
    /// <param name="name">The input's name, unique in the graph.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions: fixed sizes or symbolic names (e.g. <c>["N", 4]</c>).</param>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    public OnnxValue AddInput(string name, OnnxElementType elementType, IReadOnlyList<OnnxDim> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Claim(name);
        var value = new OnnxValue(name, elementType, shape.ToArray());
        _graph.Input.Add(ValueInfo(value));
        return value;
    }

    /// <summary>
    /// Declares <paramref name="value"/> a graph output under <paramref name="name"/> (default: its own name). A
    /// different name adds an <c>Identity</c> node, so an intermediate value can be published under a stable name.
    /// </summary>
    /// <returns>The output as it appears in the graph.</returns>
    /// <exception cref="ArgumentException">The name is already used by another value.</exception>
    public OnnxValue AddOutput(OnnxValue value, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (name is not null && name != value.Name)
        {
            Claim(name);
            _graph.Node.Add(Node("Identity", [value.Name], [name], "/" + name + "/Identity", "", []));
            value = value.As(name);
        }
        _graph.Output.Add(ValueInfo(value));
        return value;
    }

    /// <summary>
    /// Adds a float32 initializer holding <paramref name="tensor"/>'s values and shape (raw_data, little-endian). A name
    /// that already holds the same shape and bits is that initializer again (one parameter read by two parts of a
    /// model, such as a shared embedding, is stored once). Initializers of a subgraph go to the outermost graph, where
    /// every nested graph can read them.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or used by another value.</exception>
    public OnnxValue AddInitializer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_parent is not null)
            return Root.AddInitializer(name, tensor);
        var shape = new OnnxDim[tensor.Rank];
        for (int axis = 0; axis < shape.Length; axis++) shape[axis] = tensor.Dim(axis);
        if (!HoldsInitializer(name, tensor))
        {
            Claim(name);
            _graph.Initializer.Add(OnnxTensors.FromTensor(name, tensor));
        }
        return new OnnxValue(name, OnnxElementType.Float, shape);
    }

    private OnnxGraphBuilder Root => _parent?.Root ?? this;

    /// <summary>Adds an int64 initializer of shape <paramref name="dims"/> (default: one dimension holding every value).</summary>
    /// <exception cref="ArgumentException">The name is empty or already used, or the values do not fill the shape.</exception>
    public OnnxValue AddInitializer(string name, long[] values, long[]? dims = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_parent is not null)
            return Root.AddInitializer(name, values, dims);
        dims ??= [values.Length];
        Claim(name);
        _graph.Initializer.Add(OnnxTensors.FromInt64(name, values, dims));
        return new OnnxValue(name, OnnxElementType.Int64, Shape(dims));
    }

    /// <summary>Adds an int32 initializer of shape <paramref name="dims"/> (default: one dimension holding every value).</summary>
    /// <exception cref="ArgumentException">The name is empty or already used, or the values do not fill the shape.</exception>
    public OnnxValue AddInitializer(string name, int[] values, long[]? dims = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_parent is not null)
            return Root.AddInitializer(name, values, dims);
        dims ??= [values.Length];
        Claim(name);
        _graph.Initializer.Add(OnnxTensors.FromInt32(name, values, dims));
        return new OnnxValue(name, OnnxElementType.Int32, Shape(dims));
    }

    /// <summary>Adds a string initializer of shape <paramref name="dims"/> (default: one dimension holding every value).</summary>
    /// <exception cref="ArgumentException">The name is empty or already used, or the values do not fill the shape.</exception>
    public OnnxValue AddInitializer(string name, string[] values, long[]? dims = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_parent is not null)
            return Root.AddInitializer(name, values, dims);
        dims ??= [values.Length];
        Claim(name);
        _graph.Initializer.Add(OnnxTensors.FromStrings(name, values, dims));
        return new OnnxValue(name, OnnxElementType.String, Shape(dims));
    }

    /// <summary>
    /// A one-dimensional int64 constant (axes, shapes, permutations): added once per distinct content and shared by
    /// every node that needs the same values.
    /// </summary>
    /// <returns>The constant's name.</returns>
    public string Int64Constant(params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_parent is not null)
            return Root.Int64Constant(values);
        string key = string.Join(",", values);
        if (!_int64Constants.TryGetValue(key, out string? name))
        {
            name = FreeName("/Constant_output_0");
            AddInitializer(name, values);
            _int64Constants.Add(key, name);
        }
        return name;
    }

    /// <summary>A float32 scalar constant (shape []), added once per distinct value and shared.</summary>
    /// <returns>The constant's name.</returns>
    public string FloatConstant(float value)
    {
        if (_parent is not null)
            return Root.FloatConstant(value);
        if (!_floatConstants.TryGetValue(value, out string? name))
        {
            name = FreeName("/Constant_output_0");
            AddInitializer(name, Tensor.Scalar(value));
            _floatConstants.Add(value, name);
        }
        return name;
    }

    /// <summary>Adds a node of the default domain with one output, and returns that output's name.</summary>
    /// <param name="opType">The operator, e.g. <c>Gemm</c>.</param>
    /// <param name="inputs">The input names in the operator's order; "" marks an omitted optional input (trailing ones are dropped).</param>
    /// <param name="scope">The module path the node belongs to (e.g. <c>rnn</c> or <c>0</c>; "" at the top), used in its name.</param>
    /// <param name="attributes">The node's attributes (see <see cref="OnnxAttribute"/>).</param>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string scope, params ReadOnlySpan<AttributeProto> attributes)
        => AddNodeOutputs(opType, inputs, 1, scope, "", attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs in <paramref name="domain"/> and returns the output names.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">The input names in the operator's order; "" marks an omitted optional input (trailing ones are dropped).</param>
    /// <param name="outputCount">The number of outputs, at least 1.</param>
    /// <param name="scope">The module path the node belongs to, used in its name.</param>
    /// <param name="domain">The operator's domain: "" for ai.onnx, or <see cref="MLDomain"/>.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <exception cref="ArgumentException">An input is not yet defined in the graph.</exception>
    public string[] AddNodeOutputs(string opType, IReadOnlyList<string> inputs, int outputCount, string scope, string domain,
        params ReadOnlySpan<AttributeProto> attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        foreach (string input in inputs)
            if (input.Length > 0 && !IsDefined(input))
                throw new ArgumentException($"Node {opType} in scope '{scope}' reads '{input}', which no input, initializer or earlier node defines.", nameof(inputs));
        string baseName = "/" + (scope.Length == 0 ? "" : scope.Replace('.', '/') + "/") + opType;
        int count = _nodeNameCounts.GetValueOrDefault(baseName);
        _nodeNameCounts[baseName] = count + 1;
        string nodeName = UniqueName(count == 0 ? baseName : baseName + "_" + count.ToString(CultureInfo.InvariantCulture));
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            outputs[i] = nodeName + "_output_" + i.ToString(CultureInfo.InvariantCulture);
            Claim(outputs[i]);
        }
        if (domain.Length > 0) _domains.Add(domain);
        _graph.Node.Add(Node(opType, inputs, outputs, nodeName, domain, attributes));
        return outputs;
    }

    /// <summary>Whether the graph already holds <paramref name="tensor"/> as a float initializer named <paramref name="name"/>, with the same shape and the same bits.</summary>
    public bool HoldsInitializer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var initializer = _graph.Initializer.FirstOrDefault(i => i.Name == name);
        if (initializer is null || initializer.DataType != (int)OnnxElementType.Float || initializer.Dims.Count != tensor.Rank)
            return false;
        for (int axis = 0; axis < tensor.Rank; axis++)
        {
            if (initializer.Dims[axis] != tensor.Dim(axis))
                return false;
        }
        return OnnxTensors.FromTensor(name, tensor).RawData.Span.SequenceEqual(initializer.RawData.Span);
    }

    /// <summary>
    /// The name of the first float initializer holding <paramref name="tensor"/>'s shape and bits, or null when
    /// there is none. A layer that shares another's weight (a tied decoder) reads the initializer already written
    /// for it rather than writing a second copy; any initializer with the same shape and bits is an equal constant.
    /// </summary>
    public string? FindInitializer(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ByteString? bits = null;
        foreach (var initializer in _graph.Initializer)
        {
            if (initializer.DataType != (int)OnnxElementType.Float || initializer.Dims.Count != tensor.Rank) continue;
            bool sameShape = true;
            for (int axis = 0; axis < tensor.Rank && sameShape; axis++) sameShape = initializer.Dims[axis] == tensor.Dim(axis);
            if (!sameShape) continue;
            bits ??= OnnxTensors.FromTensor("", tensor).RawData;
            if (bits.Span.SequenceEqual(initializer.RawData.Span)) return initializer.Name;
        }
        return null;
    }

    /// <summary>Returns <paramref name="baseName"/>, or it with the first free <c>_1</c>, <c>_2</c>, … suffix, and reserves it.</summary>
    public string UniqueName(string baseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        string name = FreeName(baseName);
        _names.Add(name);
        _allNames.Add(name);
        return name;
    }

    private string FreeName(string baseName)
    {
        string name = baseName;
        for (int suffix = 1; _allNames.Contains(name); suffix++) name = baseName + "_" + suffix.ToString(CultureInfo.InvariantCulture);
        return name;
    }

    /// <summary>Adds a <c>metadata_props</c> entry to the model.</summary>
    /// <exception cref="ArgumentException">The key is empty or already set.</exception>
    public void AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_metadata.Exists(entry => entry.Key == key))
            throw new ArgumentException($"The metadata key '{key}' is already set.", nameof(key));
        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>The model as a protobuf message (a fresh copy on each call).</summary>
    public ModelProto Build()
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = DocString,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (string domain in _domains)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = domain == MLDomain ? MLOpsetVersion : 1 });
        model.MetadataProps.Add(_metadata.Select(entry => entry.Clone()));
        return model;
    }

    /// <summary>The serialized model, ready for <c>InferenceSession</c> or a <c>.onnx</c> file.</summary>
    public byte[] ToBytes() => Build().ToByteArray();

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_allNames.Add(name))
            throw new ArgumentException($"The name '{name}' is already used in the graph.", nameof(name));
        _names.Add(name);
    }

    private static OnnxDim[] Shape(long[] dims) => Array.ConvertAll(dims, dim => OnnxDim.Fixed(dim));

    private static NodeProto Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string name, string domain,
        ReadOnlySpan<AttributeProto> attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name, Domain = domain };
        // Omitted optional inputs at the end are left out rather than written as "": ONNX allows both, and ONNX
        // Runtime 1.31's LayerNormalization crashes on an empty trailing bias name.
        int count = inputs.Count;
        while (count > 0 && inputs[count - 1].Length == 0) count--;
        node.Input.Add(inputs.Take(count));
        node.Output.Add(outputs);
        foreach (var attribute in attributes) node.Attribute.Add(attribute);
        return node;
    }

    private static ValueInfoProto ValueInfo(OnnxValue value)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in value.Shape)
            shape.Dim.Add(dim.IsFixed ? new TensorShapeProto.Types.Dimension { DimValue = dim.Size } : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        return new ValueInfoProto
        {
            Name = value.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)value.ElementType, Shape = shape } },
        };
    }
}
