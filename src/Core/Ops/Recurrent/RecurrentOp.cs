using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// The fused forward and hand-written backward-through-time of a stack of recurrent layers (RNN, LSTM, GRU), the
/// engine behind <see cref="RecurrentBase"/> and the cells. One call is recorded as one tape node with this object
/// as its <see cref="IBackward"/>; per-call state lives in one arena workspace (<see cref="RecurrentLayout"/>) and
/// the scratch buffers of backward belong to this object, so a training step allocates nothing in steady state.
/// </summary>
/// <remarks>
/// Storage is time-major (<see cref="RecurrentStep"/>). Per layer and direction: the input projection of all steps is
/// one GEMM ([T·B, I]·W_ihᵀ), the biases b_ih + b_hh (a GRU's b_hn apart) being added by the gate kernels; W_hh is packed once (<see cref="GemmPackedB"/>) and the batch rows are
/// cut into one chunk per thread, each running all its steps in one hand-out to the pool: per step one recurrent
/// GEMM accumulating straight into the gate rows (a GRU's into a per-chunk scratch, since r multiplies only its n
/// part) plus one fused gate kernel (<see cref="RecurrentStep"/>). Backward
/// runs the steps in reverse the same way (fused gate-gradient kernel, then per chunk one GEMM for dh and one for
/// the step's dX while its gate gradients are in cache), then one GEMM over all T·B rows of saved inputs and states
/// gives dW_ih and dW_hh together (a GRU's n block apart), and the bias gradients are column sums of the gate
/// gradients.
/// </remarks>
internal sealed unsafe class RecurrentOp : IBackward
{
    // Below this many multiply-adds per step's recurrent GEMM, cutting the rows across threads costs more (smaller
    // GEMMs, a hand-out) than it saves.
    private const long ParallelStepMinWork = 48 * 48 * 48;
    private const int MinRowsPerChunk = 8;

    private readonly RecurrentMode _mode;
    private readonly int _inputSize, _hidden, _layers, _directions, _gateWidth;
    private readonly bool _batchFirst;
    private readonly float _dropout;
    private readonly Tensor[] _weightIh, _weightHh;
    private readonly Tensor?[] _biasIh, _biasHh;
    private readonly RandomSource _random;

    private float[] _inferenceWorkspace = [];
    private float[] _inputBias = [];
    private float[] _hiddenBias = [];
    private float[] _outputTimeMajor = [];
    private float[] _gradientA = [];
    private float[] _gradientB = [];
    private float[] _gradientInput = [];
    private float[] _dH = [];
    private float[] _dC = [];
    private float[] _columnSums = [];
    private float[] _weightProduct = [];
    private float[] _hiddenSums = [];
    private readonly GemmPackedB _packedWeightHh = new();
    private readonly GemmPackedB _packedWeightHhN = new();
    private readonly GemmPackedB _packedWeightIh = new();

    public RecurrentOp(RecurrentMode mode, int inputSize, int hidden, int layers, int directions, bool batchFirst, float dropout,
        Tensor[] weightIh, Tensor[] weightHh, Tensor?[] biasIh, Tensor?[] biasHh, RandomSource random)
    {
        _mode = mode;
        _inputSize = inputSize;
        _hidden = hidden;
        _layers = layers;
        _directions = directions;
        _batchFirst = batchFirst;
        _dropout = dropout;
        _gateWidth = GateCount(mode) * hidden;
        _weightIh = weightIh;
        _weightHh = weightHh;
        _biasIh = biasIh;
        _biasHh = biasHh;
        _random = random;
    }

    public static int GateCount(RecurrentMode mode) => mode switch { RecurrentMode.Lstm => 4, RecurrentMode.Gru => 3, _ => 1 };

    /// <summary>
    /// Runs the stack. <paramref name="input"/> holds B·T·I floats, [B, T, I] when batch-first else [T, B, I];
    /// <paramref name="lengths"/> is empty (all T) or B values in [1, T] (validated by the caller); h0/c0 hold
    /// L·D·B·H floats or are null (zeros). The output and state tensors get the shapes given.
    /// </summary>
    public RecurrentOutput Forward(Tensor input, int batch, int steps, ReadOnlySpan<int> lengths, Tensor? h0, Tensor? c0,
        ReadOnlySpan<int> outputShape, ReadOnlySpan<int> stateShape, bool exposeHidden, bool training, Tape? tape)
    {
        bool record = tape is { IsRecording: true } && (input.RequiresGrad || (h0?.RequiresGrad ?? false) || (c0?.RequiresGrad ?? false) || AnyParameterRequiresGrad());
        bool dropout = training && _dropout > 0f && _layers > 1;
        var layout = new RecurrentLayout(_mode, batch, steps, _inputSize, _hidden, _layers, _directions, _batchFirst, dropout);
        Tensor? saved = null;
        float[] ws;
        if (record)
        {
            int total = layout.Total;
            saved = tape!.Allocate(new ReadOnlySpan<int>(in total), clear: false);
            ws = saved.Data;
            ws.AsSpan(0, layout.StateGradientLength).Clear();
        }
        else ws = Grow(ref _inferenceWorkspace, layout.Total);

        var lengthSlot = MemoryMarshal.Cast<float, int>(ws.AsSpan(layout.Lengths, batch));
        if (lengths.IsEmpty) lengthSlot.Fill(steps);
        else lengths.CopyTo(lengthSlot);

        var output = Tape.Allocate(tape, outputShape, clear: false);
        var hiddenState = Tape.Allocate(tape, stateShape, clear: false);
        var cellState = _mode == RecurrentMode.Lstm ? Tape.Allocate(tape, stateShape, clear: false) : null;
        if (h0 is null) hiddenState.Span.Clear(); else h0.Span.CopyTo(hiddenState.Span);
        if (cellState is not null)
        {
            if (c0 is null) cellState.Span.Clear(); else c0.Span.CopyTo(cellState.Span);
        }

        long sequence = (long)batch * steps;
        int layerWidth = _directions * _hidden;
        if (_batchFirst) SequenceTranspose.ToTimeMajor(input.Span, ws.AsSpan(layout.InputTimeMajor, (int)(sequence * _inputSize)), batch, steps, _inputSize);
        float[] lastOutput = _batchFirst ? Grow(ref _outputTimeMajor, (int)(sequence * layerWidth)) : output.Data;

        fixed (float* w = ws, x0 = input.Data, y = lastOutput, h = hiddenState.Data, c = cellState is null ? null : cellState.Data)
        {
            int* lengthPointer = (int*)(w + layout.Lengths);
            for (int layer = 0; layer < _layers; layer++)
            {
                float* x = layer == 0 ? (_batchFirst ? w + layout.InputTimeMajor : x0) : w + layout.LayerInput(layer);
                int width = layer == 0 ? _inputSize : layerWidth;
                float* layerOutput = layer == _layers - 1 ? y : w + layout.LayerOutput(layer);
                for (int direction = 0; direction < _directions; direction++)
                {
                    int index = layer * _directions + direction;
                    long stateOffset = (long)index * batch * _hidden;
                    ForwardDirection(index, direction, record, x, width, layerOutput + direction * _hidden, layerWidth, w, in layout, layer,
                        lengthPointer, h + stateOffset, c == null ? null : c + stateOffset, batch, steps);
                }
                if (layer < _layers - 1 && dropout)
                {
                    var mask = ws.AsSpan(layout.Mask(layer + 1), (int)(sequence * layerWidth));
                    FillMask(mask);
                    TensorPrimitives.Multiply(ws.AsSpan(layout.LayerOutput(layer), mask.Length), mask, ws.AsSpan(layout.LayerInput(layer + 1), mask.Length));
                }
            }
        }
        if (_batchFirst) SequenceTranspose.ToBatchMajor(lastOutput.AsSpan(0, (int)(sequence * layerWidth)), output.Span, batch, steps, layerWidth, accumulate: false);

        if (record)
        {
            tape!.Record(new TapeNode(this, output, input, h0, c0, IntArg: batch, FloatArg: dropout ? 1f : 0f, Saved: saved));
            if (exposeHidden)
                tape.Record(new TapeNode(StateGradientCollector.Instance, hiddenState, output, IntArg: layout.HiddenGradient, Saved: saved));
            if (cellState is not null)
                tape.Record(new TapeNode(StateGradientCollector.Instance, cellState, output, IntArg: layout.CellGradient, Saved: saved));
        }
        return new RecurrentOutput(output, hiddenState, cellState);
    }

    private void ForwardDirection(int index, int direction, bool saveStates, float* x, int width, float* output, int outputStride, float* w,
        in RecurrentLayout layout, int layer, int* lengths, float* h, float* c, int batch, int steps)
    {
        int sequence = batch * steps;
        float* gates = w + layout.Gates(layer, direction);
        bool hasBias = PrepareBiases(index);
        if (saveStates) SaveInput(x, width, w + layout.Saved(layer, direction), layout.SavedWidth(layer), sequence);
        Gemm.Sgemm(false, true, sequence, _gateWidth, width, 1f, new ReadOnlySpan<float>(x, sequence * width), width,
            _weightIh[index].Span, width, 0f, new Span<float>(gates, sequence * _gateWidth), _gateWidth);
        _packedWeightHh.Pack(true, _hidden, _gateWidth, _weightHh[index].Span, _hidden);
        int chunks = ChunkCount(batch), chunkRows = (batch + chunks - 1) / chunks;
        if (_mode == RecurrentMode.Gru) Grow(ref _hiddenSums, chunks * chunkRows * _gateWidth);
        fixed (float* inputBias = _inputBias, hiddenBias = _hiddenBias, hiddenSums = _hiddenSums)
        {
            var step = new RecurrentStep
            {
                Mode = _mode, Batch = batch, Steps = steps, Hidden = _hidden, Chunks = chunks, Lengths = lengths,
                HiddenSums = hiddenSums, ChunkRows = chunkRows,
                Gates = gates, HPrev = w + layout.HPrev(layer, direction), HPrevStride = layout.SavedWidth(layer),
                CPrev = _mode == RecurrentMode.Lstm ? w + layout.Extra1(layer, direction) : null,
                TanhC = _mode == RecurrentMode.Lstm ? w + layout.Extra2(layer, direction) : null,
                HiddenN = _mode == RecurrentMode.Gru ? w + layout.Extra1(layer, direction) : null,
                H = h, C = c, RecurrentWeight = _packedWeightHh.Panels, RecurrentWeightN = _packedWeightHhN.Panels,
                InputBias = hasBias ? inputBias : null, HiddenBias = hasBias && _mode == RecurrentMode.Gru ? hiddenBias : null,
                SaveStates = saveStates,
                Output = output, OutputStride = outputStride,
            };
            step.Reverse = direction == 1;
            WorkerPool.ParallelFor(step.Chunks, Engine.ThreadCount, in step, &RecurrentStep.ForwardAllSteps);
        }
    }

    void IBackward.Backward(Tape tape, in TapeNode node)
    {
        Tensor input = node.A!, output = node.Output;
        Tensor? h0 = node.B, c0 = node.C;
        int batch = node.IntArg, steps = input.Length / (batch * _inputSize);
        bool dropout = node.FloatArg != 0f;
        var layout = new RecurrentLayout(_mode, batch, steps, _inputSize, _hidden, _layers, _directions, _batchFirst, dropout);
        float[] ws = node.Saved!.Data;
        int layerWidth = _directions * _hidden;
        int sequenceWidth = batch * steps * layerWidth;

        float[] dOutput = output.Grad!.Data;
        Grow(ref _gradientA, sequenceWidth);
        if (_batchFirst)
        {
            SequenceTranspose.ToTimeMajor(output.Grad.Span, _gradientA.AsSpan(0, sequenceWidth), batch, steps, layerWidth);
            dOutput = _gradientA;
        }
        Grow(ref _gradientB, sequenceWidth);
        Grow(ref _dH, batch * _hidden);
        Grow(ref _dC, batch * _hidden);
        Grow(ref _columnSums, _gateWidth);

        float[] dY = dOutput;
        for (int layer = _layers - 1; layer >= 0; layer--)
        {
            float[]? dX = null;
            int width = layer == 0 ? _inputSize : layerWidth;
            if (layer > 0)
            {
                dX = ReferenceEquals(dY, _gradientA) ? _gradientB : _gradientA;
                dX.AsSpan(0, sequenceWidth).Clear();
            }
            else if (input.RequiresGrad)
            {
                if (!_batchFirst) dX = input.EnsureGrad().Data;
                else
                {
                    dX = Grow(ref _gradientInput, batch * steps * _inputSize);
                    dX.AsSpan(0, batch * steps * _inputSize).Clear();
                }
            }
            for (int direction = 0; direction < _directions; direction++)
                BackwardDirection(layer, direction, ws, in layout, input, dY, dX, width, h0, c0, batch, steps);
            if (layer > 0 && dropout)
                TensorPrimitives.Multiply(dX.AsSpan(0, sequenceWidth), ws.AsSpan(layout.Mask(layer), sequenceWidth), dX.AsSpan(0, sequenceWidth));
            if (layer == 0 && dX is not null && _batchFirst)
                SequenceTranspose.ToBatchMajor(dX.AsSpan(0, batch * steps * _inputSize), input.EnsureGrad().Span, batch, steps, _inputSize, accumulate: true);
            if (dX is not null) dY = dX;
        }
    }

    private void BackwardDirection(int layer, int direction, float[] ws, in RecurrentLayout layout, Tensor input, float[] dY, float[]? dX,
        int width, Tensor? h0, Tensor? c0, int batch, int steps)
    {
        int index = layer * _directions + direction, sequence = batch * steps, stateLength = batch * _hidden;
        int stateOffset = index * stateLength;
        ws.AsSpan(layout.HiddenGradient + stateOffset, stateLength).CopyTo(_dH);
        if (_mode == RecurrentMode.Lstm) ws.AsSpan(layout.CellGradient + stateOffset, stateLength).CopyTo(_dC);
        var weightIh = _weightIh[index];
        var weightHh = _weightHh[index];
        int gatesOffset = layout.Gates(layer, direction);
        if (_mode == RecurrentMode.Gru)
        {
            int rz = 2 * _hidden * _hidden;
            _packedWeightHh.Pack(false, 2 * _hidden, _hidden, weightHh.Span[..rz], _hidden);
            _packedWeightHhN.Pack(false, _hidden, _hidden, weightHh.Span[rz..], _hidden);
        }
        else _packedWeightHh.Pack(false, _gateWidth, _hidden, weightHh.Span, _hidden);
        if (dX is not null) _packedWeightIh.Pack(false, _gateWidth, width, weightIh.Span, width);

        fixed (float* w = ws, dOutput = dY, dH = _dH, dC = _dC, dInput = dX)
        {
            var step = new RecurrentStep
            {
                Mode = _mode, Batch = batch, Steps = steps, Hidden = _hidden, Chunks = ChunkCount(batch),
                Lengths = (int*)(w + layout.Lengths),
                Gates = w + gatesOffset, HPrev = w + layout.HPrev(layer, direction), HPrevStride = layout.SavedWidth(layer),
                CPrev = _mode == RecurrentMode.Lstm ? w + layout.Extra1(layer, direction) : null,
                TanhC = _mode == RecurrentMode.Lstm ? w + layout.Extra2(layer, direction) : null,
                HiddenN = _mode == RecurrentMode.Gru ? w + layout.Extra1(layer, direction) : null,
                RecurrentWeight = _packedWeightHh.Panels, RecurrentWeightN = _packedWeightHhN.Panels, DOutput = dOutput + direction * _hidden, OutputStride = _directions * _hidden, DH = dH, DC = dC,
                InputWeight = dX is null ? default : _packedWeightIh.Panels, DX = dInput, InputWidth = width,
            };
            step.Reverse = direction == 1;
            WorkerPool.ParallelFor(step.Chunks, Engine.ThreadCount, in step, &RecurrentStep.BackwardAllSteps);
        }

        if (h0 is { RequiresGrad: true })
        {
            var dH0 = Tape.GradOf(h0).Slice(stateOffset, stateLength);
            TensorPrimitives.Add(dH0, _dH.AsSpan(0, stateLength), dH0);
        }
        if (c0 is { RequiresGrad: true } && _mode == RecurrentMode.Lstm)
        {
            var dC0 = Tape.GradOf(c0).Slice(stateOffset, stateLength);
            TensorPrimitives.Add(dC0, _dC.AsSpan(0, stateLength), dC0);
        }

        var dGates = ws.AsSpan(gatesOffset, layout.GatesLength);
        if (weightIh.RequiresGrad || weightHh.RequiresGrad)
            WeightGradients(layer, direction, ws, in layout, dGates, width, sequence, weightIh, weightHh);

        if (_biasIh[index] is { } biasIh && _biasHh[index] is { } biasHh)
        {
            var sums = _columnSums.AsSpan(0, _gateWidth);
            ColumnSums(dGates, _gateWidth, sums);
            if (biasIh.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(biasIh), sums, Tape.GradOf(biasIh));
            if (biasHh.RequiresGrad)
            {
                var dBiasHh = Tape.GradOf(biasHh);
                if (_mode == RecurrentMode.Gru)
                    ColumnSums(ws.AsSpan(layout.Extra1(layer, direction), layout.StateLength), _hidden, sums.Slice(2 * _hidden, _hidden));
                TensorPrimitives.Add(dBiasHh, sums, dBiasHh);
            }
        }
    }

    // Shapes: saved [T·B, W + H] (x_t | h_{t−1}), dGates [T·B, G·H] → product [W + H, G·H] = savedᵀ·dGates, whose
    // first W rows are dW_ihᵀ and last H rows dW_hhᵀ: one pass over the gate gradients for both weights, in the
    // orientation where the long k = T·B runs down contiguous rows of both operands. A GRU's n block of dW_hh
    // comes from hiddenN's gradient instead (dn⊙r), so its hidden rows are two products.
    private void WeightGradients(int layer, int direction, float[] ws, in RecurrentLayout layout, ReadOnlySpan<float> dGates,
        int width, int sequence, Tensor weightIh, Tensor weightHh)
    {
        int savedWidth = layout.SavedWidth(layer);
        var saved = ws.AsSpan(layout.Saved(layer, direction), sequence * savedWidth);
        var product = Grow(ref _weightProduct, savedWidth * _gateWidth).AsSpan(0, savedWidth * _gateWidth);
        if (_mode == RecurrentMode.Gru)
        {
            var hPrev = saved[width..];
            var hiddenRows = product[(width * _gateWidth)..];
            Gemm.Sgemm(true, false, width, _gateWidth, sequence, 1f, saved, savedWidth, dGates, _gateWidth, 0f, product, _gateWidth);
            Gemm.Sgemm(true, false, _hidden, 2 * _hidden, sequence, 1f, hPrev, savedWidth, dGates, _gateWidth, 0f, hiddenRows, _gateWidth);
            Gemm.Sgemm(true, false, _hidden, _hidden, sequence, 1f, hPrev, savedWidth,
                ws.AsSpan(layout.Extra1(layer, direction), layout.StateLength), _hidden, 0f, hiddenRows[(2 * _hidden)..], _gateWidth);
        }
        else Gemm.Sgemm(true, false, savedWidth, _gateWidth, sequence, 1f, saved, savedWidth, dGates, _gateWidth, 0f, product, _gateWidth);
        if (weightIh.RequiresGrad) AddTransposed(product[..(width * _gateWidth)], width, _gateWidth, Tape.GradOf(weightIh));
        if (weightHh.RequiresGrad) AddTransposed(product[(width * _gateWidth)..], _hidden, _gateWidth, Tape.GradOf(weightHh));
    }

    // Shapes: source [rows, cols] → destination [cols, rows] += sourceᵀ, in 8×8 blocks so both sides stay in cache.
    private static void AddTransposed(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination)
    {
        const int Block = 8;
        for (int r0 = 0; r0 < rows; r0 += Block)
        {
            int r1 = Math.Min(rows, r0 + Block);
            for (int c0 = 0; c0 < cols; c0 += Block)
            {
                int c1 = Math.Min(cols, c0 + Block);
                for (int c = c0; c < c1; c++)
                    for (int r = r0; r < r1; r++)
                        destination[c * rows + r] += source[r * cols + c];
            }
        }
    }

    // Shapes: x [T·B, W] → saved [T·B, W + H] columns [0, W), the copy backward's weight-gradient GEMM reads.
    private static void SaveInput(float* x, int width, float* saved, int savedWidth, int sequence)
    {
        for (int row = 0; row < sequence; row++)
            new ReadOnlySpan<float>(x + (long)row * width, width).CopyTo(new Span<float>(saved + (long)row * savedWidth, width));
    }

    // b_ih + b_hh folded into one input-side bias; a GRU keeps b_hn apart because r multiplies it.
    private bool PrepareBiases(int index)
    {
        if (_biasIh[index] is not { } biasIh || _biasHh[index] is not { } biasHh) return false;
        var inputBias = Grow(ref _inputBias, _gateWidth).AsSpan(0, _gateWidth);
        if (_mode == RecurrentMode.Gru)
        {
            int folded = 2 * _hidden;
            TensorPrimitives.Add(biasIh.Span[..folded], biasHh.Span[..folded], inputBias[..folded]);
            biasIh.Span[folded..].CopyTo(inputBias[folded..]);
            biasHh.Span[folded..].CopyTo(Grow(ref _hiddenBias, _hidden));
        }
        else TensorPrimitives.Add(biasIh.Span, biasHh.Span, inputBias);
        return true;
    }

    private int ChunkCount(int batch)
    {
        long work = (long)batch * _gateWidth * _hidden;
        if (work < ParallelStepMinWork) return 1;
        return Math.Max(1, Math.Min(Engine.ThreadCount, batch / MinRowsPerChunk));
    }

    private bool AnyParameterRequiresGrad()
    {
        for (int i = 0; i < _weightIh.Length; i++)
        {
            if (_weightIh[i].RequiresGrad || _weightHh[i].RequiresGrad) return true;
            if ((_biasIh[i]?.RequiresGrad ?? false) || (_biasHh[i]?.RequiresGrad ?? false)) return true;
        }
        return false;
    }

    // Inverted dropout between layers: each element is 0 with probability p, else 1/(1 − p).
    private void FillMask(Span<float> mask)
    {
        float keep = 1f - _dropout;
        float scale = keep > 0f ? 1f / keep : 0f;
        for (int i = 0; i < mask.Length; i++) mask[i] = _random.NextSingle() < keep ? scale : 0f;
    }

    // Shapes: values [rows, width] → sums [width] = Σ_rows values.
    private static void ColumnSums(ReadOnlySpan<float> values, int width, Span<float> sums)
    {
        sums.Clear();
        for (int offset = 0; offset < values.Length; offset += width)
            TensorPrimitives.Add(sums, values.Slice(offset, width), sums);
    }

    private static float[] Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer;
    }

    // h_n and c_n are separate outputs of the one recorded call: their gradients are deposited in the call's
    // workspace, and touching the main output's gradient makes sure the main node runs even when only the final
    // state feeds the loss.
    private sealed class StateGradientCollector : IBackward
    {
        public static readonly StateGradientCollector Instance = new();

        public void Backward(Tape tape, in TapeNode node)
        {
            var slot = node.Saved!.Data.AsSpan(node.IntArg, node.Output.Length);
            TensorPrimitives.Add(slot, node.Output.Grad!.Span, slot);
            Tape.GradOf(node.A!);
        }
    }
}
