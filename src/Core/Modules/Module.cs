using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Base of every layer: PyTorch's <c>nn.Module</c> in miniature. A module owns named parameters (trainable),
/// named buffers (state such as BatchNorm's running statistics) and named child modules; names follow PyTorch's
/// <c>state_dict</c> keys (<c>weight</c>, <c>0.bias</c>, <c>running_mean</c>) so weights move to and from PyTorch.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private Tensor[]? _allParameters;

    /// <summary>True in training mode (the default): dropout drops and batch norm uses batch statistics.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>
    /// Runs the layer. With a recording <paramref name="tape"/>, the ops are recorded for backward and outputs
    /// come from the tape's arena; with <c>null</c>, it runs in inference mode.
    /// </summary>
    public abstract Tensor Forward(Tensor input, Tape? tape = null);

    /// <summary>The output shape for a given input shape (batch dimension included); throws when the input shape is invalid.</summary>
    public abstract int[] OutputShape(ReadOnlySpan<int> inputShape);

    /// <summary>Sets training (<c>true</c>) or evaluation (<c>false</c>) mode on this module and all its children.</summary>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Evaluation mode: <c>Train(false)</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>All trainable parameters, this module's first, then its children's in registration order.</summary>
    public IReadOnlyList<Tensor> Parameters() => _allParameters ??= NamedParameters().Select(p => p.Value).ToArray();

    /// <summary>Parameters with their PyTorch <c>state_dict</c> names (children prefixed with <c>name.</c>).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters(string prefix = "")
    {
        foreach (var (name, tensor) in _parameters) yield return new(prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var p in child.NamedParameters(prefix + name + ".")) yield return p;
    }

    /// <summary>Buffers (non-trainable state) with their PyTorch <c>state_dict</c> names.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var (name, tensor) in _buffers) yield return new(prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var b in child.NamedBuffers(prefix + name + ".")) yield return b;
    }

    /// <summary>Parameters and buffers together, as PyTorch's <c>state_dict()</c>.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> StateDict() => NamedParameters().Concat(NamedBuffers());

    /// <summary>Child modules with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> Children() => _children.Select(c => new KeyValuePair<string, Module>(c.Name, c.Module));

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>The number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Length);

    /// <summary>Registers a trainable parameter under <paramref name="name"/> and returns it.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        parameter.RequiresGrad = true;
        parameter.Name ??= name;
        _parameters.Add((name, parameter));
        _allParameters = null;
        return parameter;
    }

    /// <summary>Registers a buffer (state saved with the weights but not trained) and returns it.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        buffer.Name ??= name;
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/> and returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        _allParameters = null;
        module.Train(Training);
        return module;
    }

    /// <summary>Throws a clear error when <paramref name="shape"/> does not have <paramref name="rank"/> dimensions.</summary>
    protected void RequireRank(ReadOnlySpan<int> shape, int rank, string expected)
    {
        if (shape.Length != rank)
            throw new ArgumentException($"{GetType().Name} expects input of shape {expected} but got [{string.Join(", ", shape.ToArray())}].", "input");
    }
}
