using FluentAssertions;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Optim;

[Collection(EngineSettingsCollection.Name)]
public class OptimizerTests
{
    public static TheoryData<string> TorchCases => new()
    {
        "sgd_plain", "sgd_momentum", "sgd_nesterov", "adagrad_default", "adagrad_options",
        "rmsprop_default", "rmsprop_momentum", "rmsprop_centered", "rmsprop_centered_momentum",
        "adam_default", "adam_options", "adam_amsgrad", "adamw_default", "adamw_amsgrad",
    };

    // Options mirror Reference/generate_optim.py (also recorded in each file's meta block).
    private static Optimizer Create(string name, Tensor[] parameters) => name switch
    {
        "sgd_plain" => new Sgd(parameters, lr: 0.1),
        "sgd_momentum" => new Sgd(parameters, lr: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01),
        "sgd_nesterov" => new Sgd(parameters, lr: 0.05, momentum: 0.9, weightDecay: 0.1, nesterov: true),
        "adagrad_default" => new Adagrad(parameters, lr: 0.1),
        "adagrad_options" => new Adagrad(parameters, lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.5, eps: 1e-6),
        "rmsprop_default" => new RmsProp(parameters, lr: 0.01),
        "rmsprop_momentum" => new RmsProp(parameters, lr: 0.01, alpha: 0.9, momentum: 0.5, weightDecay: 0.05),
        "rmsprop_centered" => new RmsProp(parameters, lr: 0.01, centered: true, eps: 1e-6),
        "rmsprop_centered_momentum" => new RmsProp(parameters, lr: 0.02, alpha: 0.8, eps: 1e-6, weightDecay: 0.1, momentum: 0.8, centered: true),
        "adam_default" => new Adam(parameters, lr: 0.01),
        "adam_options" => new Adam(parameters, lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1),
        "adam_amsgrad" => new Adam(parameters, lr: 0.01, beta1: 0.8, beta2: 0.95, weightDecay: 0.1, amsgrad: true),
        "adamw_default" => new AdamW(parameters, lr: 0.01),
        "adamw_amsgrad" => new AdamW(parameters, lr: 0.02, beta1: 0.85, beta2: 0.99, eps: 1e-7, weightDecay: 0.1, amsgrad: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
    };

    [Theory]
    [MemberData(nameof(TorchCases))]
    public void Five_steps_match_torch(string name)
    {
        var reference = ReferenceData.Load($"optim/{name}.json");
        var parameter = reference.Tensor("param0");
        var grads = reference.Tensor("grads");
        var expected = reference.Tensor("expected");
        int n = parameter.Length;
        var optimizer = Create(name, [parameter]);
        for (int step = 0; step < 5; step++)
        {
            grads.Span.Slice(step * n, n).CopyTo(parameter.EnsureGrad().Span);
            optimizer.Step();
            TensorAssert.Close(parameter.Span, expected.Span.Slice(step * n, n), rtol: 1e-5, atol: 1e-6, what: $"{name} after step {step + 1}");
        }
        optimizer.StepCount(0).Should().Be(5);
    }

    [Theory]
    [MemberData(nameof(TorchCases))]
    public void Parameters_without_gradient_are_skipped(string name)
    {
        var trained = Tensor.FromValues([1f, 2f, 3f], 3);
        var frozen = Tensor.FromValues([4f, 5f], 2);
        trained.EnsureGrad().Fill(0.5f);
        var optimizer = Create(name, [trained, frozen]);
        optimizer.Step();
        frozen.Span.ToArray().Should().Equal(4f, 5f);
        trained.Span.ToArray().Should().NotEqual([1f, 2f, 3f]);
        optimizer.StepCount(0).Should().Be(1);
        optimizer.StepCount(1).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TorchCases))]
    public void Steady_state_step_allocates_nothing(string name)
    {
        var a = new Tensor(64, 33);
        var b = new Tensor(7);
        new RandomSource(3).FillUniform(a.Span, -1, 1);
        new RandomSource(4).FillUniform(a.EnsureGrad().Span, -1, 1);
        new RandomSource(5).FillUniform(b.EnsureGrad().Span, -1, 1);
        var optimizer = Create(name, [a, b]);
        optimizer.Step();
        optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) optimizer.Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Learning_rate_can_be_changed_between_steps()
    {
        var p = Tensor.FromValues([1f], 1);
        p.EnsureGrad().Fill(1f);
        var sgd = new Sgd([p], lr: 0.1);
        sgd.Step();
        sgd.LearningRate = 0.5;
        sgd.Step();
        p[0].Should().BeApproximately(1f - 0.1f - 0.5f, 1e-6f);
        var set = () => sgd.LearningRate = -1;
        set.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("LearningRate");
    }

    [Fact]
    public void ZeroGrad_clears_every_gradient()
    {
        var a = Tensor.FromValues([1f, 2f], 2);
        var b = Tensor.FromValues([3f], 1);
        a.EnsureGrad().Fill(2f);
        b.EnsureGrad().Fill(3f);
        new Adam([a, b]).ZeroGrad();
        a.Grad!.Span.ToArray().Should().Equal(0f, 0f);
        b.Grad!.Span.ToArray().Should().Equal(0f);
    }

    [Fact]
    public void Gradient_of_the_wrong_length_is_rejected()
    {
        var p = new Tensor(3) { Grad = new Tensor(2) };
        var act = () => new Sgd([p], lr: 0.1).Step();
        act.Should().Throw<InvalidOperationException>().WithMessage("*2 elements*3*");
    }

    public static TheoryData<Func<Tensor[], Optimizer>, string> InvalidOptions => new()
    {
        { ps => new Sgd(ps, lr: -0.1), "lr" },
        { ps => new Sgd(ps, lr: double.NaN), "lr" },
        { ps => new Sgd(ps, lr: 0.1, momentum: -0.5), "momentum" },
        { ps => new Sgd(ps, lr: 0.1, dampening: -1), "dampening" },
        { ps => new Sgd(ps, lr: 0.1, weightDecay: -1), "weightDecay" },
        { ps => new Sgd(ps, lr: 0.1, nesterov: true), "nesterov" },
        { ps => new Sgd(ps, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true), "nesterov" },
        { ps => new Adagrad(ps, lrDecay: -1), "lrDecay" },
        { ps => new Adagrad(ps, initialAccumulatorValue: -1), "initialAccumulatorValue" },
        { ps => new Adagrad(ps, eps: -1), "eps" },
        { ps => new RmsProp(ps, alpha: -0.1), "alpha" },
        { ps => new RmsProp(ps, momentum: -0.1), "momentum" },
        { ps => new Adam(ps, lr: -1), "lr" },
        { ps => new Adam(ps, beta1: 1.0), "beta1" },
        { ps => new Adam(ps, beta2: -0.1), "beta2" },
        { ps => new Adam(ps, eps: -1e-8), "eps" },
        { ps => new Adam(ps, weightDecay: -1), "weightDecay" },
        { ps => new AdamW(ps, beta1: 1.5), "beta1" },
        { ps => new AdamW(ps, beta2: 1.0), "beta2" },
        { ps => new AdamW(ps, weightDecay: -0.01), "weightDecay" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_name_the_option(Func<Tensor[], Optimizer> create, string option)
    {
        var act = () => create([new Tensor(2)]);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(option);
    }

    [Fact]
    public void Empty_or_repeated_parameter_lists_are_rejected()
    {
        var p = new Tensor(2);
        var empty = () => new Adam([]);
        empty.Should().Throw<ArgumentException>().WithMessage("*empty*");
        var twice = () => new Adam([p, p]);
        twice.Should().Throw<ArgumentException>().WithMessage("*more than once*");
    }
}
