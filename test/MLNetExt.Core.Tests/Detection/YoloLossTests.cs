using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Detection;

/// <summary>
/// YoloLoss against its definition written out in PyTorch 1.13 (Reference/generate_yolo_loss.py, float64 with
/// autograd), finite differences, a head that encodes its targets exactly, and its argument checks.
/// </summary>
public class YoloLossTests
{
    public static TheoryData<string> ReferenceCases() => new() { "squared_bce", "squared_ce", "ciou_bce", "ciou_ce" };

    private static (YoloBoxLoss Box, YoloClassLoss Class) Options(string name) =>
        (name.StartsWith("ciou", StringComparison.Ordinal) ? YoloBoxLoss.CompleteIou : YoloBoxLoss.SquaredError,
         name.EndsWith("_ce", StringComparison.Ordinal) ? YoloClassLoss.CrossEntropy : YoloClassLoss.BinaryCrossEntropy);

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Loss_terms_and_head_gradient_match_pytorch(string name)
    {
        var reference = ReferenceData.Load($"detection/yolo_loss_{name}.json");
        var (box, classes) = Options(name);
        var scale = new YoloGridScale(reference.MetaInt("rows"), reference.MetaInt("columns"), reference.Values("anchors"));
        var loss = new YoloLoss(scale, reference.MetaInt("image_width"), reference.MetaInt("image_height"), reference.MetaInt("class_count"),
            box, classes, (float)reference.Meta("coordinate_weight"), (float)reference.Meta("no_object_weight"));
        var head = reference.Tensor("head");
        head.RequiresGrad = true;
        // A gradient already there must be added to, not replaced.
        head.EnsureGrad().Fill(1f);
        var tape = new Tape();

        var value = loss.Forward(head, reference.Tensor("targets"), tape);
        tape.Backward(value);

        value.Shape.ToArray().Should().BeEmpty();
        TensorAssert.Close(value, reference.Tensor("loss"), what: $"{name} loss");
        var terms = loss.LastTerms;
        TensorAssert.Close([(float)terms.Box, (float)terms.Object, (float)terms.NoObject, (float)terms.Class], reference.Values("terms"), what: $"{name} terms");
        var expectedGradient = reference.Values("grad_head").Select(g => g + 1f).ToArray();
        TensorAssert.Close(head.Grad!.Span, expectedGradient, what: $"{name} head gradient");
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Gradient_matches_finite_differences(string name)
    {
        var (box, classes) = Options(name);
        // 64×48 image on a 2×3 grid (cells 21⅓ × 24 px), two anchors, two classes, objects placed by the encoder.
        var scale = new YoloGridScale(2, 3, [18, 30, 40, 16]);
        var targets = new float[scale.TargetLength(2)];
        YoloTargetEncoder.Encode([4, 3, 22, 36, 30, 28, 62, 44, 45, 2, 58, 20], [1, 0, 1], 64, 48, 2, [scale], [targets]);
        var targetTensor = Tensor.FromValues(targets, 1, targets.Length);
        var head = new Tensor(1, 2 * 7, 2, 3);
        new RandomSource(11).FillUniform(head.Span, -1.5f, 1.5f);
        var loss = new YoloLoss(scale, 64, 48, 2, box, classes, coordinateWeight: 2f, noObjectWeight: 0.7f);
        if (box == YoloBoxLoss.CompleteIou) MatchPredictedAspectToTargets(head, targets, scale, 64f / 3, 24f);

        GradCheck.Check(t => loss.Forward(head, targetTensor, t), [head], step: 5e-3f);
    }

    [Theory]
    [InlineData(YoloBoxLoss.SquaredError)]
    [InlineData(YoloBoxLoss.CompleteIou)]
    public void A_head_that_encodes_its_targets_has_almost_no_loss(YoloBoxLoss boxLoss)
    {
        // Two images of 96×64 on a 2×3 grid; the head is the inverse of the decoding for every object
        // (YoloTestHeads), objectness and class logits ±12, so only e^−12 terms remain.
        var scale = new YoloGridScale(2, 3, [20, 20, 40, 28]);
        var first = new float[scale.TargetLength(2)];
        var second = new float[scale.TargetLength(2)];
        YoloTargetEncoder.Encode([10, 10, 30, 28, 50, 30, 92, 60], [0, 1], 96, 64, 2, [scale], [first]);
        YoloTargetEncoder.Encode([60, 4, 80, 20], [1], 96, 64, 2, [scale], [second]);
        float[] targets = [.. first, .. second];
        var head = YoloTestHeads.FromTargets([first, second], scale, 96, 64, 2);

        var loss = new YoloLoss(scale, 96, 64, 2, boxLoss);
        float value = loss.Forward(head, Tensor.FromValues(targets, 2, targets.Length / 2)).Data[0];

        loss.LastTerms.Box.Should().BeLessThan(1e-5, "every box is decoded exactly onto its target");
        value.Should().BeLessThan(1e-3f);
        // The same head with one box pushed off its target costs more: the test can see a wrong box term.
        head.Data[0] += 1f;  // tx of image 0, anchor 0, cell (0, 0): the first object
        loss.Forward(head, Tensor.FromValues(targets, 2, targets.Length / 2));
        loss.LastTerms.Box.Should().BeGreaterThan(1e-2);
    }

    [Theory]
    [InlineData(YoloBoxLoss.SquaredError, YoloClassLoss.CrossEntropy)]
    [InlineData(YoloBoxLoss.CompleteIou, YoloClassLoss.BinaryCrossEntropy)]
    public void A_warm_step_allocates_nothing(YoloBoxLoss boxLoss, YoloClassLoss classLoss)
    {
        var scale = new YoloGridScale(2, 3, [18, 30, 40, 16]);
        var targets = new float[scale.TargetLength(2)];
        YoloTargetEncoder.Encode([4, 3, 22, 36, 30, 28, 62, 44], [1, 0], 64, 48, 2, [scale], [targets]);
        var targetTensor = Tensor.FromValues(targets, 1, targets.Length);
        var head = new Tensor(1, 2 * 7, 2, 3) { RequiresGrad = true };
        new RandomSource(5).FillUniform(head.Span, -1f, 1f);
        var loss = new YoloLoss(scale, 64, 48, 2, boxLoss, classLoss);
        var tape = new Tape();
        void Step()
        {
            tape.Reset();
            head.ZeroGrad();
            tape.Backward(loss.Forward(head, targetTensor, tape));
        }
        Step();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "the loss's output comes from the tape's arena and its pass keeps no state");
    }

    [Fact]
    public void Bad_shapes_and_targets_are_rejected_with_the_expected_shape()
    {
        var scale = new YoloGridScale(2, 2, [10, 10]);
        var loss = new YoloLoss(scale, 32, 32, 3);
        var targets = new Tensor(1, 2, 2, 1, 8);

        var wrongChannels = () => loss.Forward(new Tensor(1, 9, 2, 2), targets);
        wrongChannels.Should().Throw<ArgumentException>().Where(e => e.ParamName == "headOutput" && e.Message.Contains("[B, 1·(5 + 3) = 8, 2, 2]"));
        var wrongBatch = () => loss.Forward(new Tensor(2, 8, 2, 2), targets);
        wrongBatch.Should().Throw<ArgumentException>().Where(e => e.ParamName == "targets" && e.Message.Contains("[2, 2, 2, 1, 8]"));

        targets.Data[0] = 0.5f;
        var softObjectness = () => loss.Forward(new Tensor(1, 8, 2, 2), targets);
        softObjectness.Should().Throw<ArgumentException>().Where(e => e.ParamName == "targets" && e.Message.Contains("p_c must be 0 or 1"));
        targets.Data[0] = 1f;
        var emptyBox = () => loss.Forward(new Tensor(1, 8, 2, 2), targets);
        emptyBox.Should().Throw<ArgumentException>().Where(e => e.ParamName == "targets" && e.Message.Contains("positive finite sizes"));

        var noAnchors = () => new YoloLoss(new YoloGridScale(2, 2, []), 32, 32, 3);
        noAnchors.Should().Throw<ArgumentException>().Where(e => e.ParamName == "scale");
        var negativeWeight = () => new YoloLoss(scale, 32, 32, 3, noObjectWeight: -1f);
        negativeWeight.Should().Throw<ArgumentException>().Where(e => e.ParamName == "noObjectWeight");
    }

    /// <summary>
    /// CIoU's gradient holds α constant (as torchvision's), so it is the derivative of the loss only where α·v is flat:
    /// where the predicted aspect equals the target's, v = 0 and α·v = O(δ⁴) around it. Setting tw, th to
    /// ln(b/p) + the same shift gives each object's prediction its target's aspect at another size, so the finite
    /// differences check every other part of CIoU there; the PyTorch parity test checks the α·∂v term.
    /// </summary>
    private static void MatchPredictedAspectToTargets(Tensor head, float[] targets, YoloGridScale scale, float cellWidth, float cellHeight)
    {
        int entries = head.Dim(1) / scale.AnchorCount, cells = scale.Rows * scale.Columns;
        for (int cell = 0; cell < cells; cell++)
            for (int a = 0; a < scale.AnchorCount; a++)
            {
                var slot = targets.AsSpan((cell * scale.AnchorCount + a) * entries, entries);
                if (slot[0] == 0) continue;
                float shift = 0.3f * (a + 1) - 0.4f;
                head.Data[(a * entries + 2) * cells + cell] = MathF.Log(slot[4] * cellWidth / scale.Anchors[2 * a]) + shift;
                head.Data[(a * entries + 3) * cells + cell] = MathF.Log(slot[3] * cellHeight / scale.Anchors[2 * a + 1]) + shift;
            }
    }
}
