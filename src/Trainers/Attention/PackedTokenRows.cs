using MLNetExt.Core;

namespace MLNetExt.Trainers.Attention;

/// <summary>
/// Reads the packed float rows the shared training loop batches, [B, 1 + T]: element 0 is the row's length ℓ in
/// [1, T], the next T elements its token ids (ids at or after ℓ are padding and never read). The buffers grow and
/// are reused, so steady-state training allocates nothing here.
/// </summary>
internal sealed class PackedTokenRows
{
    private int[] _lengths = [];
    private int[] _ids = [];
    private bool[] _padding = [];

    /// <summary>Splits <paramref name="input"/> [B, 1 + T] into lengths [B], ids [B, T] (0 at padded steps) and the padding mask [B, T].</summary>
    /// <exception cref="ArgumentException">The input is not [B, 1 + T] with T ≥ 1 and T ≤ <paramref name="maxSteps"/>, or a length is outside [1, T].</exception>
    public (ReadOnlyMemory<int> Lengths, ReadOnlyMemory<int> Ids, ReadOnlyMemory<bool> Padding, int Steps) Read(Tensor input, string network, int maxSteps = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Dim(1) < 2 || input.Dim(1) - 1 > maxSteps)
            throw new ArgumentException($"{network} expects packed rows [B, 1 + T] with 1 ≤ T ≤ {maxSteps} but got [{string.Join(", ", input.Shape.ToArray())}].", nameof(input));
        int batch = input.Dim(0), steps = input.Dim(1) - 1;
        Grow(ref _lengths, batch);
        Grow(ref _ids, batch * steps);
        Grow(ref _padding, batch * steps);
        var packed = input.Span;
        for (int b = 0; b < batch; b++)
        {
            var row = packed.Slice(b * (steps + 1), steps + 1);
            int length = (int)row[0];
            if (length < 1 || length > steps || length != row[0])
                throw new ArgumentException($"Row {b} has length {row[0]}; lengths must be whole numbers in [1, {steps}].", nameof(input));
            _lengths[b] = length;
            for (int t = 0; t < steps; t++)
            {
                bool padded = t >= length;
                _padding[b * steps + t] = padded;
                _ids[b * steps + t] = padded ? 0 : (int)row[1 + t];
            }
        }
        return (_lengths.AsMemory(0, batch), _ids.AsMemory(0, batch * steps), _padding.AsMemory(0, batch * steps), steps);
    }

    internal static void Grow<T>(ref T[] buffer, int length)
    {
        // Grown, never shrunk: training alternates full, tail and validation batches and must not allocate for each.
        if (buffer.Length < length) buffer = new T[length];
    }
}
