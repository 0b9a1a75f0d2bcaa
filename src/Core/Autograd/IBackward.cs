namespace MLNetExt.Core.Autograd;

/// <summary>
/// The backward half of a differentiable operation. Implementations are stateless singletons (for pure ops) or
/// the long-lived layer that recorded the node (for ops that keep buffers), so recording allocates nothing.
/// </summary>
public interface IBackward
{
    /// <summary>
    /// Reads <c>node.Output.Grad</c> (dL/dOutput) and accumulates, with <c>+=</c>, into the gradients of the
    /// node's inputs that have <see cref="Tensor.RequiresGrad"/> set (use <see cref="Tape.GradOf"/>).
    /// </summary>
    void Backward(Tape tape, in TapeNode node);
}
