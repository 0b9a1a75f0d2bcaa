using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Detection;

/// <summary>
/// The training loss of one YOLO output grid: the raw head of a convolutional network against the targets of
/// <see cref="YoloTargetEncoder"/>. A head with several scales sums one loss per scale.
/// </summary>
/// <remarks>
/// <para><b>Shapes.</b> Head output [B, A·(5 + C), S_y, S_x], NCHW as our convolutions produce it, channel-major as
/// darknet's heads (tiny-YOLOv2, YOLOv3): anchor a owns channels a·(5 + C) … a·(5 + C) + 4 + C, holding
/// tx, ty, tw, th, to, then C class logits; so <see cref="YoloDecoding.DecodeDarknetHead"/> decodes the same tensor.
/// Targets [B, S_y, S_x, A, 5 + C] (or any shape [B, …] of that many values: the encoder's arrays one after another),
/// y = [p_c, b_x, b_y, b_h, b_w, c₁ … c_C] per slot, p_c 1 where the slot holds an object and 0 elsewhere, b_x, b_y
/// the centre's offset in its cell and b_h, b_w the size, in cells. Output: a scalar [].</para>
/// <para><b>The loss.</b> With 𝟙_obj the slots where p_c = 1 and 𝟙_noobj the others,
/// L = (1/B)·Σ [ λ_coord·𝟙_obj·box + 𝟙_obj·BCE(to, 1) + λ_noobj·𝟙_noobj·BCE(to, 0) + 𝟙_obj·class ],
/// the sum over every image, cell and anchor divided by the batch size B (not by the number of slots or objects, so
/// the weight of an object does not depend on how many others share its batch). box is
/// <see cref="YoloBoxLoss"/>, class is <see cref="YoloClassLoss"/>; BCE(x, t) = max(x, 0) − x·t + ln(1 + e^−|x|), which
/// never overflows. The objectness target of an object is 1 (YOLOv2's IoU target and its ignore threshold for
/// empty slots that overlap an object are not used).</para>
/// <para><b>Gradient.</b> Only the head output gets one (the targets are constants). Backward recomputes the
/// per-slot terms from the recorded input, so a forward in inference mode between a recorded forward and its
/// backward cannot disturb it. The loss allocates nothing per call beyond its output tensor.</para>
/// </remarks>
public sealed class YoloLoss : IBackward
{
    // torchvision's eps for DIoU and CIoU, as BoxOverlap adds it.
    private const double Epsilon = 1e-7;
    private static readonly double AspectScale = 4.0 / (Math.PI * Math.PI);

    private readonly float[] _anchorCells; // [A, 2] anchor (width, height) in cells
    private readonly float[] _anchorPixels; // [A, 2] anchor (width, height) in image pixels
    private readonly float _cellWidth;
    private readonly float _cellHeight;

    /// <summary>Creates the loss of one grid.</summary>
    /// <param name="scale">The grid (S_y rows, S_x columns) and its A anchors in image pixels, as given to <see cref="YoloTargetEncoder.Encode"/>.</param>
    /// <param name="imageWidth">The image width in pixels the targets were encoded for.</param>
    /// <param name="imageHeight">The image height in pixels.</param>
    /// <param name="classCount">C, at least 1.</param>
    /// <param name="boxLoss">The box term.</param>
    /// <param name="classLoss">The class term.</param>
    /// <param name="coordinateWeight">λ_coord, the weight of the box term (YOLOv1's 5).</param>
    /// <param name="noObjectWeight">λ_noobj, the weight of the objectness term of empty slots (YOLOv1's 0.5).</param>
    /// <exception cref="ArgumentException">The grid or its anchors are invalid, or a weight is negative or not finite.</exception>
    public YoloLoss(YoloGridScale scale, int imageWidth, int imageHeight, int classCount,
        YoloBoxLoss boxLoss = YoloBoxLoss.SquaredError, YoloClassLoss classLoss = YoloClassLoss.BinaryCrossEntropy,
        float coordinateWeight = 5f, float noObjectWeight = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(scale);
        if (scale.Rows < 1 || scale.Columns < 1 || scale.Anchors is null || scale.Anchors.Length == 0 || scale.Anchors.Length % 2 != 0
            || scale.Anchors.Any(a => !(a > 0) || !float.IsFinite(a)))
            throw new ArgumentException("The scale needs a grid of at least 1×1 and (width, height) anchor pairs of positive sizes.", nameof(scale));
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (!Enum.IsDefined(boxLoss)) throw new ArgumentOutOfRangeException(nameof(boxLoss), boxLoss, "Unknown box loss.");
        if (!Enum.IsDefined(classLoss)) throw new ArgumentOutOfRangeException(nameof(classLoss), classLoss, "Unknown class loss.");
        if (!(coordinateWeight >= 0) || !float.IsFinite(coordinateWeight))
            throw new ArgumentException($"coordinateWeight is {coordinateWeight}; a finite weight of at least 0 is needed.", nameof(coordinateWeight));
        if (!(noObjectWeight >= 0) || !float.IsFinite(noObjectWeight))
            throw new ArgumentException($"noObjectWeight is {noObjectWeight}; a finite weight of at least 0 is needed.", nameof(noObjectWeight));

        Scale = scale;
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        ClassCount = classCount;
        BoxLoss = boxLoss;
        ClassLoss = classLoss;
        CoordinateWeight = coordinateWeight;
        NoObjectWeight = noObjectWeight;
        _cellWidth = (float)imageWidth / scale.Columns;
        _cellHeight = (float)imageHeight / scale.Rows;
        _anchorPixels = (float[])scale.Anchors.Clone();
        _anchorCells = new float[_anchorPixels.Length];
        for (int a = 0; a < scale.AnchorCount; a++)
        {
            _anchorCells[2 * a] = _anchorPixels[2 * a] / _cellWidth;
            _anchorCells[2 * a + 1] = _anchorPixels[2 * a + 1] / _cellHeight;
        }
    }

    /// <summary>The grid and its anchors.</summary>
    public YoloGridScale Scale { get; }

    /// <summary>The image width in pixels.</summary>
    public int ImageWidth { get; }

    /// <summary>The image height in pixels.</summary>
    public int ImageHeight { get; }

    /// <summary>C.</summary>
    public int ClassCount { get; }

    /// <summary>The box term.</summary>
    public YoloBoxLoss BoxLoss { get; }

    /// <summary>The class term.</summary>
    public YoloClassLoss ClassLoss { get; }

    /// <summary>λ_coord.</summary>
    public float CoordinateWeight { get; }

    /// <summary>λ_noobj.</summary>
    public float NoObjectWeight { get; }

    /// <summary>The parts of the value the last <see cref="Forward"/> returned.</summary>
    public YoloLossTerms LastTerms { get; private set; }

    /// <summary>
    /// Computes the loss. Shapes: head output [B, A·(5 + C), S_y, S_x] and targets [B, S_y, S_x, A, 5 + C] → [].
    /// With a recording <paramref name="tape"/> and a head output that requires a gradient, the loss is recorded.
    /// </summary>
    /// <exception cref="ArgumentException">A shape disagrees with the grid (the message gives the expected one), a
    /// p_c is neither 0 nor 1, or an object's target size is not positive.</exception>
    public Tensor Forward(Tensor headOutput, Tensor targets, Tape? tape = null)
    {
        int batch = Validate(headOutput, targets);
        LastTerms = Accumulate(headOutput.Span, targets.Span, batch, [], 0f);
        var loss = Tape.Allocate(tape, [], clear: false);
        loss.Data[0] = (float)LastTerms.Total;
        if (Tape.ShouldRecord(tape, headOutput)) tape!.Record(new TapeNode(this, loss, headOutput, targets));
        return loss;
    }

    // Forward: head [B, A·(5 + C), S_y, S_x], targets [B, S_y, S_x, A, 5 + C] → loss [].
    // Backward: dHead += dLoss · ∂L/∂head, from the same per-slot pass.
    void IBackward.Backward(Tape tape, in TapeNode node)
    {
        Tensor head = node.A!, targets = node.B!;
        Accumulate(head.Span, targets.Span, head.Dim(0), Tape.GradOf(head), node.Output.Grad!.Data[0]);
    }

    private int Validate(Tensor headOutput, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        ArgumentNullException.ThrowIfNull(targets);
        int channels = Scale.AnchorCount * (5 + ClassCount);
        if (headOutput.Rank != 4 || headOutput.Dim(1) != channels || headOutput.Dim(2) != Scale.Rows || headOutput.Dim(3) != Scale.Columns || headOutput.Dim(0) < 1)
            throw new ArgumentException(
                $"The head output is [{string.Join(", ", headOutput.Shape.ToArray())}]; [B, {Scale.AnchorCount}·(5 + {ClassCount}) = {channels}, {Scale.Rows}, {Scale.Columns}] is expected.",
                nameof(headOutput));
        int batch = headOutput.Dim(0);
        int perImage = Scale.TargetLength(ClassCount);
        if (targets.Rank < 1 || targets.Dim(0) != batch || targets.Length != batch * perImage)
            throw new ArgumentException(
                $"The targets are [{string.Join(", ", targets.Shape.ToArray())}]; [{batch}, {Scale.Rows}, {Scale.Columns}, {Scale.AnchorCount}, {5 + ClassCount}] ({perImage} values per image) is expected.",
                nameof(targets));
        int entries = 5 + ClassCount;
        var t = targets.Span;
        for (int slot = 0; slot < t.Length; slot += entries)
        {
            float objectness = t[slot];
            if (objectness == 0f) continue;
            if (objectness != 1f)
                throw new ArgumentException($"targets hold p_c = {objectness} at flat index {slot}; p_c must be 0 or 1.", nameof(targets));
            if (!(t[slot + 3] > 0) || !(t[slot + 4] > 0) || !float.IsFinite(t[slot + 3]) || !float.IsFinite(t[slot + 4]))
                throw new ArgumentException($"The object at flat index {slot} has size b_h = {t[slot + 3]}, b_w = {t[slot + 4]}; positive finite sizes are needed.", nameof(targets));
        }
        return batch;
    }

    /// <summary>
    /// One pass over every slot: returns the loss terms and, when <paramref name="gradient"/> is not empty, adds
    /// <paramref name="outputGradient"/>·∂L/∂head into it (same layout as the head).
    /// </summary>
    private YoloLossTerms Accumulate(ReadOnlySpan<float> head, ReadOnlySpan<float> targets, int batch, Span<float> gradient, float outputGradient)
    {
        int anchors = Scale.AnchorCount, rows = Scale.Rows, columns = Scale.Columns, entries = 5 + ClassCount;
        int cells = rows * columns;
        bool withGradient = !gradient.IsEmpty;
        // Every term is divided by B; the chain rule carries dL/dLoss along.
        float perImage = outputGradient / batch;
        float boxScale = perImage * CoordinateWeight, noObjectScale = perImage * NoObjectWeight;
        double box = 0, objectTerm = 0, noObject = 0, classTerm = 0;
        for (int b = 0; b < batch; b++)
            for (int a = 0; a < anchors; a++)
            {
                // Channel e of anchor a at cell c is at block + e·cells + c.
                int block = (b * anchors + a) * entries * cells;
                for (int cell = 0; cell < cells; cell++)
                {
                    int headIndex = block + cell;
                    int slot = ((b * cells + cell) * anchors + a) * entries;
                    float objectnessLogit = head[headIndex + 4 * cells];
                    if (targets[slot] == 0f)
                    {
                        noObject += BinaryCrossEntropy(objectnessLogit, 0f);
                        if (withGradient) gradient[headIndex + 4 * cells] += noObjectScale * YoloDecoding.Sigmoid(objectnessLogit);
                        continue;
                    }
                    objectTerm += BinaryCrossEntropy(objectnessLogit, 1f);
                    if (withGradient) gradient[headIndex + 4 * cells] += perImage * (YoloDecoding.Sigmoid(objectnessLogit) - 1f);
                    box += BoxLoss == YoloBoxLoss.SquaredError
                        ? SquaredErrorBox(head, targets.Slice(slot, entries), headIndex, cells, a, gradient, boxScale)
                        : CompleteIouBox(head, targets.Slice(slot, entries), headIndex, cells, a, gradient, boxScale);
                    classTerm += ClassLoss == YoloClassLoss.BinaryCrossEntropy
                        ? BinaryCrossEntropyClasses(head, targets.Slice(slot + 5, ClassCount), headIndex + 5 * cells, cells, gradient, perImage)
                        : CrossEntropyClasses(head, targets.Slice(slot + 5, ClassCount), headIndex + 5 * cells, cells, gradient, perImage);
                }
            }
        return new YoloLossTerms(CoordinateWeight * box / batch, objectTerm / batch, NoObjectWeight * noObject / batch, classTerm / batch);
    }

    // BCE-with-logits, max(x, 0) − x·t + ln(1 + e^−|x|); its derivative σ(x) − t is added by the callers.
    private static double BinaryCrossEntropy(float logit, float target)
        => Math.Max(logit, 0.0) - (double)logit * target + Math.Log(1 + Math.Exp(-Math.Abs((double)logit)));

    // Forward: tx, ty, tw, th of one slot, target y = [p_c, b_x, b_y, b_h, b_w, …] → (σ(tx) − b_x)² + (σ(ty) − b_y)² + (tw − ln(b_w/p_w))² + (th − ln(b_h/p_h))².
    // Backward: dtx += scale·2(σ − b_x)·σ(1 − σ), likewise ty; dtw += scale·2(tw − ln(b_w/p_w)), likewise th.
    private double SquaredErrorBox(ReadOnlySpan<float> head, ReadOnlySpan<float> target, int headIndex, int cells, int anchor, Span<float> gradient, float scale)
    {
        double sx = YoloDecoding.Sigmoid(head[headIndex]), sy = YoloDecoding.Sigmoid(head[headIndex + cells]);
        double dx = sx - target[1], dy = sy - target[2];
        double dw = head[headIndex + 2 * cells] - Math.Log(target[4] / (double)_anchorCells[2 * anchor]);
        double dh = head[headIndex + 3 * cells] - Math.Log(target[3] / (double)_anchorCells[2 * anchor + 1]);
        if (!gradient.IsEmpty)
        {
            gradient[headIndex] += (float)(scale * 2 * dx * sx * (1 - sx));
            gradient[headIndex + cells] += (float)(scale * 2 * dy * sy * (1 - sy));
            gradient[headIndex + 2 * cells] += (float)(scale * 2 * dw);
            gradient[headIndex + 3 * cells] += (float)(scale * 2 * dh);
        }
        return dx * dx + dy * dy + dw * dw + dh * dh;
    }

    // Forward: the predicted box (σ(tx)·cellW, σ(ty)·cellH, p_w·e^tw, p_h·e^th) in pixels from the cell's corner, the
    // target (b_x·cellW, b_y·cellH, b_w·cellW, b_h·cellH) → 1 − CIoU = 1 − IoU + ρ²/c² + α·v.
    // Backward: through the box's centre and size to tx, ty, tw, th, with α constant.
    private double CompleteIouBox(ReadOnlySpan<float> head, ReadOnlySpan<float> target, int headIndex, int cells, int anchor, Span<float> gradient, float scale)
    {
        double sx = YoloDecoding.Sigmoid(head[headIndex]), sy = YoloDecoding.Sigmoid(head[headIndex + cells]);
        double px = sx * _cellWidth, py = sy * _cellHeight;
        double pw = _anchorPixels[2 * anchor] * Math.Exp(head[headIndex + 2 * cells]);
        double ph = _anchorPixels[2 * anchor + 1] * Math.Exp(head[headIndex + 3 * cells]);
        double gx = target[1] * (double)_cellWidth, gy = target[2] * (double)_cellHeight;
        double gw = target[4] * (double)_cellWidth, gh = target[3] * (double)_cellHeight;

        var x = AxisOverlap.Of(px, pw, gx, gw);
        var y = AxisOverlap.Of(py, ph, gy, gh);
        double intersection = x.Overlap * y.Overlap;
        double union = pw * ph + gw * gh - intersection;
        double iou = intersection / union;
        double diagonalSquared = x.Hull * x.Hull + y.Hull * y.Hull + Epsilon;
        double centreDx = px - gx, centreDy = py - gy;
        double distanceSquared = centreDx * centreDx + centreDy * centreDy;
        double aspectGap = Math.Atan(pw / ph) - Math.Atan(gw / gh);
        double v = AspectScale * aspectGap * aspectGap;
        double alpha = v / (1 - iou + v + Epsilon);
        double loss = 1 - iou + distanceSquared / diagonalSquared + alpha * v;
        if (gradient.IsEmpty) return loss;

        // ∂L/∂intersection (through IoU = I/U with U = areas − I), ∂L/∂(pw·ph), ∂L/∂c², ∂L/∂v.
        double dIntersection = -(union + intersection) / (union * union);
        double dArea = intersection / (union * union);
        double dDiagonal = -distanceSquared / (diagonalSquared * diagonalSquared);
        double dV = alpha;
        // v's slope in the predicted shape: ∂atan(w/h)/∂w = h/(w² + h²), ∂/∂h = −w/(w² + h²).
        double dvScale = 2 * AspectScale * aspectGap / (pw * pw + ph * ph);

        // Per axis: the low and high edges move the overlap and the hull; the centre moves ρ².
        var (dxLow, dxHigh) = x.EdgeGradients(dIntersection * y.Overlap, dDiagonal * 2 * x.Hull);
        var (dyLow, dyHigh) = y.EdgeGradients(dIntersection * x.Overlap, dDiagonal * 2 * y.Hull);
        double dpx = dxLow + dxHigh + 2 * centreDx / diagonalSquared;
        double dpy = dyLow + dyHigh + 2 * centreDy / diagonalSquared;
        double dpw = (dxHigh - dxLow) / 2 + dArea * ph + dV * dvScale * ph;
        double dph = (dyHigh - dyLow) / 2 + dArea * pw - dV * dvScale * pw;

        gradient[headIndex] += (float)(scale * dpx * _cellWidth * sx * (1 - sx));
        gradient[headIndex + cells] += (float)(scale * dpy * _cellHeight * sy * (1 - sy));
        gradient[headIndex + 2 * cells] += (float)(scale * dpw * pw);
        gradient[headIndex + 3 * cells] += (float)(scale * dph * ph);
        return loss;
    }

    // Forward: logits l [C] (stride cells), targets t [C] → Σ_c BCE(l_c, t_c).
    // Backward: dl_c += scale·(σ(l_c) − t_c).
    private double BinaryCrossEntropyClasses(ReadOnlySpan<float> head, ReadOnlySpan<float> target, int firstLogit, int cells, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int c = 0; c < target.Length; c++)
        {
            float logit = head[firstLogit + c * cells];
            sum += BinaryCrossEntropy(logit, target[c]);
            if (!gradient.IsEmpty) gradient[firstLogit + c * cells] += scale * (YoloDecoding.Sigmoid(logit) - target[c]);
        }
        return sum;
    }

    // Forward: logits l [C] (stride cells), targets t [C] → −Σ_c t_c·log softmax(l)_c = Σ_c t_c·(lse(l) − l_c).
    // Backward: dl_c += scale·(softmax(l)_c·Σt − t_c).
    private double CrossEntropyClasses(ReadOnlySpan<float> head, ReadOnlySpan<float> target, int firstLogit, int cells, Span<float> gradient, float scale)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < target.Length; c++) max = Math.Max(max, head[firstLogit + c * cells]);
        double expSum = 0, targetSum = 0;
        for (int c = 0; c < target.Length; c++)
        {
            expSum += Math.Exp(head[firstLogit + c * cells] - max);
            targetSum += target[c];
        }
        double logSumExp = max + Math.Log(expSum);
        double sum = 0;
        for (int c = 0; c < target.Length; c++)
        {
            double logit = head[firstLogit + c * cells];
            sum += target[c] * (logSumExp - logit);
            if (!gradient.IsEmpty) gradient[firstLogit + c * cells] += (float)(scale * (Math.Exp(logit - logSumExp) * targetSum - target[c]));
        }
        return sum;
    }

    /// <summary>
    /// Two intervals on one axis, the prediction [p − s/2, p + s/2] and the target [g − t/2, g + t/2]: their overlap
    /// (clamped at 0) and the extent of their hull, and which of their edges each is made of.
    /// </summary>
    private readonly record struct AxisOverlap(double Overlap, double Hull, bool Overlapping, bool PredictedLowInside, bool PredictedHighInside)
    {
        public static AxisOverlap Of(double centre, double size, double targetCentre, double targetSize)
        {
            double low = centre - size / 2, high = centre + size / 2;
            double targetLow = targetCentre - targetSize / 2, targetHigh = targetCentre + targetSize / 2;
            double overlap = Math.Min(high, targetHigh) - Math.Max(low, targetLow);
            double hull = Math.Max(high, targetHigh) - Math.Min(low, targetLow);
            // An edge of the prediction bounds the overlap when it lies inside the target, and the hull otherwise.
            return new AxisOverlap(Math.Max(overlap, 0), hull, overlap > 0, low > targetLow, high < targetHigh);
        }

        /// <summary>∂L/∂low and ∂L/∂high of the predicted interval, given ∂L/∂overlap and ∂L/∂hull.</summary>
        public (double Low, double High) EdgeGradients(double dOverlap, double dHull)
        {
            double dOverlapClamped = Overlapping ? dOverlap : 0;
            double low = PredictedLowInside ? -dOverlapClamped : -dHull;
            double high = PredictedHighInside ? dOverlapClamped : dHull;
            return (low, high);
        }
    }
}
