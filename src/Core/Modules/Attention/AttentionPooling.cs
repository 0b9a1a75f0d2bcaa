using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>
/// Attention over the steps of a sequence, pooled into one context vector: additive (Bahdanau) attention by default,
/// or dot-product or multiplicative scores. e_j = score(h_j, q); α = softmax over the unpadded steps of e;
/// c = Σ_j α_j·h_j. The query q is an input (a decoder state) or a learned vector (classification, as in the
/// hierarchical attention network of Yang et al., 2016).
/// </summary>
/// <remarks>
/// <para>Shapes: sequences h [B, T, D], query q [B, Q] (none with a learned query), padding mask [B, T] (true at
/// padded steps) → context [B, D], weights α [B, T].</para>
/// <para>Parameters, named as a PyTorch module written from the formulas would name them (each a <see cref="Linear"/>
/// with PyTorch's initialization):</para>
/// <list type="bullet">
/// <item>additive: <c>W.weight</c> [A, D] and <c>W.bias</c> [A] (W·h_j + b), <c>U.weight</c> [A, Q] (no bias; absent
/// with a learned query), <c>v.weight</c> [1, A];</item>
/// <item>dot: none, or the learned <c>query</c> [1, D];</item>
/// <item>multiplicative: <c>W.weight</c> [Q, D] (no bias), and the learned <c>query</c> [1, Q] when there is one.</item>
/// </list>
/// <para>A learned <c>query</c> starts as a <see cref="Linear"/> weight of that shape does, U(−1/√n, 1/√n) for its
/// width n. Padded steps get weight 0 and no gradient, and their values never reach the context; a sequence whose
/// every step is padded gets a zero context.</para>
/// <para>The multiplicative score is computed as (qᵀ·W)·h_j: W meets the query once per sequence rather than every
/// step once.</para>
/// </remarks>
public sealed class AttentionPooling : Module, IOnnxExportable
{
    private AttentionPooling(AttentionScore score, int inputSize, int querySize, int attentionSize, bool learnedQuery, RandomSource? random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        random ??= RandomSource.Default;
        Score = score;
        InputSize = inputSize;
        QuerySize = querySize;
        AttentionSize = attentionSize;
        LearnedQuery = learnedQuery;
        switch (score)
        {
            case AttentionScore.Additive:
                W = RegisterModule("W", new Linear(inputSize, attentionSize, bias: true, random));
                if (!learnedQuery) U = RegisterModule("U", new Linear(querySize, attentionSize, bias: false, random));
                V = RegisterModule("v", new Linear(attentionSize, 1, bias: false, random));
                break;
            case AttentionScore.Multiplicative:
                W = RegisterModule("W", new Linear(inputSize, querySize, bias: false, random));
                if (learnedQuery) Query = RegisterParameter("query", Init.KaimingUniform(new Tensor(1, querySize), a: MathF.Sqrt(5f), random: random));
                break;
            default:
                if (learnedQuery) Query = RegisterParameter("query", Init.KaimingUniform(new Tensor(1, inputSize), a: MathF.Sqrt(5f), random: random));
                break;
        }
    }

    /// <summary>Additive (Bahdanau) attention, e_j = vᵀ·tanh(W·h_j + U·q + b), or with <paramref name="querySize"/> null
    /// the learned-query form e_j = vᵀ·tanh(W·h_j + b) of a hierarchical attention network.</summary>
    /// <param name="inputSize">D, the width of each step.</param>
    /// <param name="attentionSize">A, the width of the hidden layer inside the score.</param>
    /// <param name="querySize">Q, the width of the query input; null for a learned query.</param>
    /// <param name="random">The generator for the initial weights (default: <see cref="RandomSource.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static AttentionPooling Additive(int inputSize, int attentionSize, int? querySize = null, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attentionSize, 1);
        if (querySize is { } q) ArgumentOutOfRangeException.ThrowIfLessThan(q, 1, nameof(querySize));
        return new AttentionPooling(AttentionScore.Additive, inputSize, querySize ?? 0, attentionSize, querySize is null, random);
    }

    /// <summary>Dot-product attention, e_j = qᵀ·h_j, with q an input of width D or, when <paramref name="learnedQuery"/>, a learned vector.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is below 1.</exception>
    public static AttentionPooling Dot(int inputSize, bool learnedQuery = false, RandomSource? random = null)
        => new(AttentionScore.Dot, inputSize, inputSize, 0, learnedQuery, random);

    /// <summary>Multiplicative attention, e_j = qᵀ·W·h_j, with q an input of width <paramref name="querySize"/> or, when <paramref name="learnedQuery"/>, a learned vector.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static AttentionPooling Multiplicative(int inputSize, int querySize, bool learnedQuery = false, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(querySize, 1);
        return new(AttentionScore.Multiplicative, inputSize, querySize, 0, learnedQuery, random);
    }

    /// <summary>The score function.</summary>
    public AttentionScore Score { get; }

    /// <summary>D, the width of each step.</summary>
    public int InputSize { get; }

    /// <summary>Q, the width of the query (D for a dot score; 0 for the learned additive form).</summary>
    public int QuerySize { get; }

    /// <summary>A, the hidden width of the additive score (0 for the others).</summary>
    public int AttentionSize { get; }

    /// <summary>True when the query is a learned parameter rather than an input.</summary>
    public bool LearnedQuery { get; }

    /// <summary>W: the step projection (additive) or the bilinear form (multiplicative); null for a dot score.</summary>
    public Linear? W { get; }

    /// <summary>U, the query projection of the additive score with a query input.</summary>
    public Linear? U { get; }

    /// <summary>v, the output vector of the additive score (the context vector u_w with a learned query).</summary>
    public Linear? V { get; }

    /// <summary>The learned query of the dot and multiplicative scores, [1, D] or [1, Q].</summary>
    public Tensor? Query { get; }

    /// <summary>Pools full-length sequences with the learned query and returns the context. Shapes: [B, T, D] → [B, D].</summary>
    /// <exception cref="InvalidOperationException">The layer takes its query as an input.</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null) => Forward(input, default, null, tape).Context;

    /// <summary>Scores every step, normalizes over the unpadded ones and pools (shapes in the class remarks).</summary>
    /// <param name="sequences">h, [B, T, D].</param>
    /// <param name="paddingMask">[B, T], true at padded steps; empty when every step counts.</param>
    /// <param name="query">q, [B, Q]; null with a learned query.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    /// <exception cref="InvalidOperationException">A query is missing, or given to a layer with a learned one.</exception>
    public AttentionPoolingOutput Forward(Tensor sequences, ReadOnlySpan<bool> paddingMask, Tensor? query = null, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Rank != 3 || sequences.Dim(2) != InputSize)
            throw new ArgumentException($"AttentionPooling expects sequences [B, T, {InputSize}] but got {ShapeText.Of(sequences)}.", nameof(sequences));
        int batch = sequences.Dim(0), steps = sequences.Dim(1);
        if (!paddingMask.IsEmpty && paddingMask.Length != batch * steps)
            throw new ArgumentException($"AttentionPooling expects a padding mask [{batch}, {steps}] ({batch * steps} values) but got {paddingMask.Length}.", nameof(paddingMask));
        if (LearnedQuery && query is not null)
            throw new InvalidOperationException("This attention learns its query; do not pass one.");
        if (!LearnedQuery)
        {
            if (query is null) throw new InvalidOperationException($"This attention needs a query [B, {QuerySize}].");
            if (query.Rank != 2 || query.Dim(0) != batch || query.Dim(1) != QuerySize)
                throw new ArgumentException($"AttentionPooling expects a query [{batch}, {QuerySize}] but got {ShapeText.Of(query)}.", nameof(query));
        }

        var rows = TensorOps.Reshape(sequences, [batch * steps, InputSize], tape);
        Tensor scores = Score switch
        {
            AttentionScore.Additive => AdditiveScores(rows, query, batch, steps, tape),
            AttentionScore.Dot => ProductScores(sequences, rows, query ?? Query!, batch, tape),
            _ => ProductScores(sequences, rows, TensorOps.MatMul(query ?? Query!, W!.Weight, tape), batch, tape),
        };
        var weights = MaskedSoftmaxOp.Forward(TensorOps.Reshape(scores, [batch, steps], tape), paddingMask, tape);
        // c[b] = α[b]ᵀ·h[b]: [B, 1, T]·[B, T, D] → [B, 1, D].
        var context = BatchedMatMulOp.Forward(TensorOps.Reshape(weights, [batch, 1, steps], tape), sequences, tape: tape);
        return new AttentionPoolingOutput(TensorOps.Reshape(context, [batch, InputSize], tape), weights);
    }

    // Shapes: rows [B·T, D], query [B, Q] or null → e [B·T, 1] = tanh(rows·Wᵀ + b (+ U·q per sequence))·vᵀ.
    private Tensor AdditiveScores(Tensor rows, Tensor? query, int batch, int steps, Tape? tape)
    {
        var hidden = W!.Forward(rows, tape);
        if (query is not null)
        {
            var perSequence = U!.Forward(query, tape);
            hidden = TensorOps.Reshape(SequenceBroadcastOps.AddPerSequence(TensorOps.Reshape(hidden, [batch, steps, AttentionSize], tape), perSequence, tape),
                [batch * steps, AttentionSize], tape);
        }
        return V!.Forward(Activations.Tanh(hidden, tape), tape);
    }

    // Shapes: sequences [B, T, D] (rows its [B·T, D] view), q [1, D] (one query for every sequence) or [B, D]
    //   → e = h_j·q: [B·T, 1] from one GEMM when a single query serves all rows, else [B, T, 1].
    private static Tensor ProductScores(Tensor sequences, Tensor rows, Tensor q, int batch, Tape? tape)
        => q.Dim(0) == 1
            ? LinearOp.Forward(rows, q, null, tape)
            : BatchedMatMulOp.Forward(sequences, TensorOps.Reshape(q, [batch, q.Dim(1), 1], tape), tape: tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 3, $"[B, T, {InputSize}]");
        if (inputShape[2] != InputSize)
            throw new ArgumentException($"AttentionPooling expects sequences [B, T, {InputSize}] but got {ShapeText.Of(inputShape)}.", "input");
        return [inputShape[0], InputSize];
    }

    /// <summary>Exports pooling with the learned query over full-length sequences; returns the context (see <see cref="ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, OnnxValue?, string)"/>).</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => ExportOnnx(graph, input, null, null, scope).Context;

    /// <summary>
    /// Exports the layer: the score as <c>MatMul</c>/<c>Gemm</c>, <c>Add</c>, <c>Tanh</c> (additive) or a
    /// <c>MatMul</c> with the query, the padding mask added as −∞, <c>Softmax</c> over the steps, and the context as
    /// <c>MatMul</c>(α, h).
    /// </summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="sequences">h, float [B, T, D]; B and T may be symbolic.</param>
    /// <param name="lengths">int32 [B], the true lengths, each at least 1 (steps at t ≥ length are padding); null when every sequence is full.</param>
    /// <param name="query">q, float [B, Q]; null with a learned query.</param>
    /// <param name="scope">The module's path, e.g. <c>attention</c>.</param>
    /// <returns>The context [B, D] and the weights [B, T].</returns>
    /// <exception cref="ArgumentException">An input's type or shape does not suit the layer.</exception>
    /// <exception cref="InvalidOperationException">A query is missing, or given to a layer with a learned one.</exception>
    public AttentionPoolingOnnxOutput ExportOnnx(OnnxGraphBuilder graph, OnnxValue sequences, OnnxValue? lengths, OnnxValue? query, string scope)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(sequences);
        OnnxExport.RequireFloat(sequences, nameof(AttentionPooling));
        if (sequences.Rank != 3 || !sequences.Shape[2].Equals(OnnxDim.Fixed(InputSize)))
            throw new ArgumentException($"AttentionPooling expects sequences [B, T, {InputSize}] but got {sequences}.", nameof(sequences));
        if (LearnedQuery != (query is null))
            throw new InvalidOperationException(LearnedQuery ? "This attention learns its query; do not pass one." : $"This attention needs a query [B, {QuerySize}].");
        if (query is not null)
        {
            OnnxExport.RequireFloat(query, nameof(AttentionPooling));
            if (query.Rank != 2 || !query.Shape[1].Equals(OnnxDim.Fixed(QuerySize)))
                throw new ArgumentException($"AttentionPooling expects a query [B, {QuerySize}] but got {query}.", nameof(query));
        }
        OnnxDim batch = sequences.Shape[0], steps = sequences.Shape[1];
        // e [B, T, 1]
        string scores;
        if (Score == AttentionScore.Additive)
        {
            string hidden = OnnxExport.Module(graph, W!, sequences, OnnxExport.Join(scope, "W")).Name;
            if (query is not null)
            {
                string perSequence = OnnxExport.Module(graph, U!, query, OnnxExport.Join(scope, "U")).Name;
                hidden = graph.AddNode("Add", [hidden, graph.AddNode("Unsqueeze", [perSequence, graph.Int64Constant(1)], scope)], scope);
            }
            var activated = sequences.As(graph.AddNode("Tanh", [hidden], scope), shape: [batch, steps, AttentionSize]);
            scores = OnnxExport.Module(graph, V!, activated, OnnxExport.Join(scope, "v")).Name;
        }
        else
        {
            string q = query?.Name ?? OnnxExport.Parameter(graph, scope, "query", Query!).Name;
            if (Score == AttentionScore.Multiplicative)
                q = graph.AddNode("MatMul", [q, OnnxExport.Parameter(graph, OnnxExport.Join(scope, "W"), "weight", W!.Weight).Name], scope);
            string column = query is null
                ? graph.AddNode("Transpose", [q], scope, OnnxAttribute.Ints("perm", 1, 0))
                : graph.AddNode("Unsqueeze", [q, graph.Int64Constant(2)], scope);
            scores = graph.AddNode("MatMul", [sequences.Name, column], scope);
        }
        scores = graph.AddNode("Squeeze", [scores, graph.Int64Constant(2)], scope);
        if (lengths is not null) scores = graph.AddNode("Add", [scores, AttentionOnnx.KeyPaddingBias(graph, sequences, lengths, scope)], scope);
        string weights = graph.AddNode("Softmax", [scores], scope, OnnxAttribute.Int("axis", 1));
        string context = graph.AddNode("MatMul", [graph.AddNode("Unsqueeze", [weights, graph.Int64Constant(1)], scope), sequences.Name], scope);
        return new AttentionPoolingOnnxOutput(
            sequences.As(graph.AddNode("Squeeze", [context, graph.Int64Constant(1)], scope), shape: [batch, InputSize]),
            sequences.As(weights, shape: [batch, steps]));
    }
}
