using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// What a recurrent layer's ONNX export yields: the graph values matching <see cref="RecurrentOutput"/>.
/// </summary>
/// <param name="Output">Every step's top-layer output, [B, T, D·H] (batch first) or [T, B, D·H]; the forward half first.</param>
/// <param name="HiddenState">h_n, [L·D, B, H]: each sequence's state at its own last valid step (step 0 for the reverse direction).</param>
/// <param name="CellState">c_n for an LSTM, [L·D, B, H]; null for GRU and RNN.</param>
public readonly record struct RecurrentOnnxOutput(OnnxValue Output, OnnxValue HiddenState, OnnxValue? CellState);
