using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Losses;

/// <summary>Loss values and input gradients against PyTorch 1.13 (Reference/generate_activations_losses.py).</summary>
public class LossParityTests
{
    private static readonly string[] ElementwiseCases =
        ["mse", "l1", "huber_default", "huber_0.7", "bce", "bce_logits", "bce_logits_pos_weight", "kl", "kl_log_target"];

    private static readonly string[] CrossEntropyCases =
        ["ce", "ce_weight", "ce_ignore", "ce_ignore_custom", "ce_smooth", "ce_smooth_ignore", "ce_weight_ignore", "ce_weight_smooth_ignore"];

    private static readonly string[] Reductions = ["mean", "sum", "none"];

    public static TheoryData<string> ElementwiseFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in ElementwiseCases)
            foreach (var reduction in Reductions) data.Add($"{name}_{reduction}");
        data.Add("kl_batchmean");
        data.Add("kl_log_target_batchmean");
        return data;
    }

    public static TheoryData<string> CrossEntropyFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in CrossEntropyCases)
            foreach (var reduction in Reductions) data.Add($"{name}_{reduction}");
        return data;
    }

    private static Reduction ParseReduction(string file) => file[(file.LastIndexOf('_') + 1)..] switch
    {
        "mean" => Reduction.Mean,
        "sum" => Reduction.Sum,
        "none" => Reduction.None,
        "batchmean" => Reduction.BatchMean,
        var other => throw new ArgumentException(other),
    };

    private static Loss CreateElementwise(string file, ReferenceData reference)
    {
        var reduction = ParseReduction(file);
        string name = file[..file.LastIndexOf('_')];
        return name switch
        {
            "mse" => new MSELoss(reduction),
            "l1" => new L1Loss(reduction),
            "huber_default" => new HuberLoss(reduction: reduction),
            "huber_0.7" => new HuberLoss(0.7f, reduction),
            "bce" => new BCELoss(reduction),
            "bce_logits" => new BCEWithLogitsLoss(reduction: reduction),
            "bce_logits_pos_weight" => new BCEWithLogitsLoss(ReferenceData.Load("losses/bce_logits_pos_weight.json").Tensor("pos_weight"), reduction),
            "kl" or "kl_log_target" => new KLDivLoss(reduction, logTarget: reference.MetaInt("log_target") == 1),
            _ => throw new ArgumentException(file),
        };
    }

    [Theory]
    [MemberData(nameof(ElementwiseFiles))]
    public void Elementwise_losses_match_pytorch(string file)
    {
        var reference = ReferenceData.Load($"losses/{file}.json");
        var loss = CreateElementwise(file, reference);
        var input = reference.Tensor("input");
        input.RequiresGrad = true;
        var tape = new Tape();
        var y = loss.Forward(input, reference.Tensor("target"), tape);
        CheckOutputAndGradient(file, reference, tape, input, y);
    }

    [Theory]
    [MemberData(nameof(CrossEntropyFiles))]
    public void Cross_entropy_matches_pytorch(string file)
    {
        var reference = ReferenceData.Load($"losses/{file}.json");
        var weight = file.Contains("weight") ? ReferenceData.Load("losses/ce_class_weight.json").Tensor("weight") : null;
        int ignoreIndex = file.StartsWith("ce_ignore_custom", StringComparison.Ordinal) ? 2 : -100;
        float smoothing = file.Contains("smooth") ? (float)reference.Meta("smoothing") : 0f;
        var loss = new CrossEntropyLoss(weight, ignoreIndex, smoothing, ParseReduction(file));
        var input = reference.Tensor("input");
        input.RequiresGrad = true;
        var tape = new Tape();
        var y = loss.Forward(input, reference.Ints("target"), tape);
        CheckOutputAndGradient(file, reference, tape, input, y);

        // The tensor-target overload reads the same class indices.
        var again = loss.Forward(input, reference.Tensor("target"));
        TensorAssert.Close(again, reference.Tensor("output"), what: $"{file} output (tensor targets)");
    }

    private static void CheckOutputAndGradient(string file, ReferenceData reference, Tape tape, Tensor input, Tensor y)
    {
        TensorAssert.Close(y, reference.Tensor("output"), what: $"{file} output");
        var scaled = Core.Ops.TensorOps.Sum(Core.Ops.TensorOps.Multiply(y, reference.Tensor("grad_output"), tape), tape);
        tape.Backward(scaled);
        TensorAssert.Close(input.Grad!, reference.Tensor("grad_input"), what: $"{file} input gradient");
    }
}
