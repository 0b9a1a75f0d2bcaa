namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// Offsets (in floats) of everything one call of a recurrent stack keeps for its backward pass, packed in one
/// workspace: the state-gradient slots that h_n/c_n deposit into, the lengths, the time-major copy of a
/// batch-first input, each upper layer's input (and dropout mask and raw output), and per layer and direction the
/// saved gates and states (see <see cref="RecurrentStep"/>).
/// </summary>
internal readonly struct RecurrentLayout
{
    private readonly int _between, _perDirection, _betweenSize, _firstLayerSize, _upperLayerSize, _directions, _inputSize, _hidden;
    private readonly long _sequence, _layerWidth;
    private readonly bool _dropout;

    public RecurrentLayout(RecurrentMode mode, int batch, int steps, int inputSize, int hidden, int layers, int directions,
        bool batchFirst, bool dropout)
    {
        int gates = mode switch { RecurrentMode.Lstm => 4, RecurrentMode.Gru => 3, _ => 1 };
        int extra = mode switch { RecurrentMode.Lstm => 2, RecurrentMode.Gru => 1, _ => 0 };
        _directions = directions;
        _inputSize = inputSize;
        _hidden = hidden;
        _dropout = dropout;
        _sequence = (long)batch * steps;
        _layerWidth = (long)directions * hidden;
        long stateSize = (long)layers * directions * batch * hidden;
        long cursor = 0;
        HiddenGradient = (int)cursor;
        cursor += stateSize;
        CellGradient = (int)cursor;
        if (mode == RecurrentMode.Lstm) cursor += stateSize;
        StateGradientLength = (int)cursor;
        Lengths = (int)cursor;
        cursor += batch;
        InputTimeMajor = (int)cursor;
        if (batchFirst) cursor += _sequence * inputSize;
        _between = (int)cursor;
        _betweenSize = (int)(_sequence * _layerWidth * (dropout ? 3 : 1));
        cursor += (long)(layers - 1) * _betweenSize;
        _perDirection = (int)cursor;
        long firstLayerSize = _sequence * ((gates + extra + 1) * (long)hidden + inputSize);
        long upperLayerSize = _sequence * ((gates + extra + 1) * (long)hidden + _layerWidth);
        GatesLength = (int)(_sequence * gates * hidden);
        StateLength = (int)(_sequence * hidden);
        cursor += directions * firstLayerSize + (long)(layers - 1) * directions * upperLayerSize;
        if (cursor > Array.MaxLength)
            throw new ArgumentException($"A recurrent workspace of {cursor} floats (batch {batch}, {steps} steps) is larger than an array can hold.", nameof(batch));
        Total = (int)cursor;
        _firstLayerSize = (int)firstLayerSize;
        _upperLayerSize = (int)upperLayerSize;
    }

    /// <summary>dL/dh_n, [L·D, B, H]; then dL/dc_n for an LSTM.</summary>
    public int HiddenGradient { get; }

    /// <summary>dL/dc_n (LSTM only).</summary>
    public int CellGradient { get; }

    /// <summary>Floats at the start that must be zero before backward.</summary>
    public int StateGradientLength { get; }

    /// <summary>The B sequence lengths, stored as int32 bit patterns.</summary>
    public int Lengths { get; }

    /// <summary>The input transposed to [T, B, I] when it arrives batch-first.</summary>
    public int InputTimeMajor { get; }

    /// <summary>Floats of T·B·G·H.</summary>
    public int GatesLength { get; }

    /// <summary>Floats of T·B·H.</summary>
    public int StateLength { get; }

    /// <summary>All floats.</summary>
    public int Total { get; }

    /// <summary>The input of layer l ≥ 1, [T, B, D·H] (after dropout when it is active).</summary>
    public int LayerInput(int layer) => _between + (layer - 1) * _betweenSize;

    /// <summary>The dropout mask applied to layer l's input (l ≥ 1).</summary>
    public int Mask(int layer) => LayerInput(layer) + (int)(_sequence * _layerWidth);

    /// <summary>Where layer l &lt; L − 1 writes its output: its successor's input, or a raw slot when dropout follows.</summary>
    public int LayerOutput(int layer) => _dropout ? LayerInput(layer + 1) + 2 * (int)(_sequence * _layerWidth) : LayerInput(layer + 1);

    /// <summary>
    /// Gates of layer l, direction d, [T, B, G·H]; followed by the saved inputs and states (<see cref="Saved"/>), then
    /// cPrev and tanhC (LSTM) or hiddenN (GRU).
    /// </summary>
    public int Gates(int layer, int direction) => _perDirection + (layer == 0
        ? direction * _firstLayerSize
        : _directions * _firstLayerSize + ((layer - 1) * _directions + direction) * _upperLayerSize);

    /// <summary>
    /// [T, B, W + H] with W the layer's input width: per row the layer's input x_t, then the state h_{t−1} the step
    /// started from, side by side so that one GEMM over all T·B rows gives the gradients of W_ih and W_hh together.
    /// </summary>
    public int Saved(int layer, int direction) => Gates(layer, direction) + GatesLength;

    /// <summary>The row width of <see cref="Saved"/> (and so the row stride of <see cref="HPrev"/>): W + H.</summary>
    public int SavedWidth(int layer) => InputWidth(layer) + _hidden;

    /// <summary>The input width W of layer l: the input size, or D·H above the first layer.</summary>
    public int InputWidth(int layer) => layer == 0 ? _inputSize : (int)_layerWidth;

    /// <summary>The state each step started from, [T, B, H] with row stride <see cref="SavedWidth"/>.</summary>
    public int HPrev(int layer, int direction) => Saved(layer, direction) + InputWidth(layer);

    /// <summary>Second saved state: cPrev (LSTM) or hiddenN (GRU), [T, B, H].</summary>
    public int Extra1(int layer, int direction) => Saved(layer, direction) + (int)(_sequence * SavedWidth(layer));

    /// <summary>Third saved state: tanhC (LSTM), [T, B, H].</summary>
    public int Extra2(int layer, int direction) => Extra1(layer, direction) + StateLength;
}
