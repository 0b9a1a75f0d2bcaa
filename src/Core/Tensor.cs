using System.Runtime.CompilerServices;

namespace MLNetExt.Core;

/// <summary>
/// A dense float32 tensor: row-major, contiguous storage plus a shape (PyTorch's layout for a contiguous tensor).
/// </summary>
/// <remarks>
/// <para>Element <c>[i0, i1, …, i(r−1)]</c> lives at <c>Data[((i0·d1 + i1)·d2 + i2)…]</c>. Rank 0 (a scalar) has
/// <see cref="Length"/> 1.</para>
/// <para>A tensor that takes part in training has <see cref="RequiresGrad"/> set; its gradient lives in
/// <see cref="Grad"/>, a tensor of the same shape, allocated on first use and accumulated into with <c>+=</c>.
/// Integer data (token ids, class labels) never travels as a tensor: it travels as <c>int</c> spans.</para>
/// </remarks>
public sealed class Tensor
{
    private int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count overflows.</exception>
    public Tensor(params ReadOnlySpan<int> shape)
    {
        _shape = shape.ToArray();
        Length = CheckedLength(shape);
        Data = Length == 0 ? [] : new float[Length];
    }

    /// <summary>Wraps existing storage (not copied) with the given shape.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is shorter than the shape requires.</exception>
    public Tensor(float[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        _shape = shape.ToArray();
        Length = CheckedLength(shape);
        if (data.Length < Length)
            throw new ArgumentException($"Storage holds {data.Length} elements but shape [{string.Join(", ", _shape)}] needs {Length}.", nameof(data));
        Data = data;
    }

    /// <summary>The backing storage. Only the first <see cref="Length"/> elements belong to this tensor.</summary>
    public float[] Data { get; private set; }

    /// <summary>The number of elements: the product of the shape.</summary>
    public int Length { get; private set; }

    /// <summary>The dimensions, outermost first. Do not mutate; use <see cref="Reshape"/> for a new view.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The elements as a span.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Data.AsSpan(0, Length);
    }

    /// <summary>When set, operations recorded on a <see cref="Autograd.Tape"/> propagate gradients into <see cref="Grad"/>.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient, same shape as this tensor; <c>null</c> until a backward pass writes it.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>An optional name, e.g. PyTorch's parameter name (<c>weight</c>, <c>bias</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>Gets or sets an element by flat (row-major) index.</summary>
    public float this[int index]
    {
        get => Data[(uint)index < (uint)Length ? index : throw new IndexOutOfRangeException()];
        set => Data[(uint)index < (uint)Length ? index : throw new IndexOutOfRangeException()] = value;
    }

    /// <summary>Returns the gradient tensor, creating a zero-filled one on first use.</summary>
    public Tensor EnsureGrad()
    {
        if (Grad is null || !Grad.HasShape(_shape))
            Grad = new Tensor(_shape);
        return Grad;
    }

    /// <summary>Sets the gradient to zero, if there is one.</summary>
    public void ZeroGrad() => Grad?.Span.Clear();

    /// <summary>True when this tensor's shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>
    /// A view with a new shape over the same storage (free: nothing is copied). One dimension may be −1 and is inferred.
    /// The view does not share <see cref="Grad"/>; record <see cref="Ops.TensorOps.Reshape"/> on a tape to propagate gradients.
    /// </summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        int[] resolved = ResolveReshape(shape, Length);
        return new Tensor(Data, resolved);
    }

    /// <summary>A deep copy of the values (not the gradient).</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(_shape) { RequiresGrad = RequiresGrad, Name = Name };
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Copies the values of <paramref name="source"/>, which must have the same length, into this tensor.</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length)
            throw new ArgumentException($"Cannot copy {source.Length} elements into a tensor of {Length}.", nameof(source));
        source.Span.CopyTo(Span);
    }

    /// <summary>Fills every element with <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>A tensor of the given shape holding a copy of <paramref name="values"/>.</summary>
    public static Tensor FromValues(ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        var t = new Tensor(shape);
        if (values.Length != t.Length)
            throw new ArgumentException($"{values.Length} values do not fill shape [{string.Join(", ", shape.ToArray())}] ({t.Length} elements).", nameof(values));
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => FromValues([value]);

    /// <summary>A trainable parameter: a tensor with <see cref="RequiresGrad"/> set and a name.</summary>
    public static Tensor Parameter(string name, params ReadOnlySpan<int> shape) => new(shape) { RequiresGrad = true, Name = name };

    /// <summary>Re-points this tensor at new storage and shape; used by <see cref="Autograd.Tape"/>'s arena to recycle tensor objects.</summary>
    internal void Reinitialize(ReadOnlySpan<int> shape, bool clear)
    {
        int length = CheckedLength(shape);
        if (!shape.SequenceEqual(_shape))
            _shape = shape.ToArray();
        if (Data.Length < length)
            Data = new float[length];
        else if (clear)
            Data.AsSpan(0, length).Clear();
        Length = length;
        if (Grad is not null)
        {
            if (Grad.HasShape(shape)) Grad.Span.Clear();
            else Grad = null;
        }
    }

    /// <summary>Re-points this view at <paramref name="data"/> with a new shape; used by the tape's view arena.</summary>
    internal void Alias(float[] data, ReadOnlySpan<int> shape)
    {
        if (!shape.SequenceEqual(_shape))
            _shape = shape.ToArray();
        Data = data;
        Length = CheckedLength(shape);
        if (Grad is not null)
        {
            if (Grad.HasShape(shape)) Grad.Span.Clear();
            else Grad = null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor[{string.Join(", ", _shape)}]{(Name is null ? "" : " " + Name)}";

    internal static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] has a negative dimension.", nameof(shape));
            length *= d;
            if (length > Array.MaxLength) throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] has more elements than an array can hold.", nameof(shape));
        }
        return (int)length;
    }

    internal static int[] ResolveReshape(ReadOnlySpan<int> shape, int length)
    {
        int[] resolved = shape.ToArray();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (inferred >= 0) throw new ArgumentException("Only one dimension of a reshape may be -1.", nameof(shape));
                inferred = i;
            }
            else if (resolved[i] < 0) throw new ArgumentException($"Reshape dimension {resolved[i]} is negative.", nameof(shape));
            else known *= resolved[i];
        }
        if (inferred >= 0)
        {
            if (known == 0 || length % known != 0)
                throw new ArgumentException($"Cannot infer a dimension to reshape {length} elements into [{string.Join(", ", resolved)}].", nameof(shape));
            resolved[inferred] = (int)(length / known);
        }
        else if (known != length)
            throw new ArgumentException($"Cannot reshape {length} elements into [{string.Join(", ", resolved)}] ({known} elements).", nameof(shape));
        return resolved;
    }
}
