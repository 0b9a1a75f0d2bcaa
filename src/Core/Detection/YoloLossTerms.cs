namespace MLNetExt.Core.Detection;

/// <summary>
/// The parts of one <see cref="YoloLoss"/> value, each already weighted and divided by the batch size, so that
/// <see cref="Total"/> is the loss.
/// </summary>
/// <param name="Box">λ_coord · the box loss of the slots that hold an object, / B.</param>
/// <param name="Object">The objectness BCE of the slots that hold an object, / B.</param>
/// <param name="NoObject">λ_noobj · the objectness BCE of the empty slots, / B.</param>
/// <param name="Class">The class loss of the slots that hold an object, / B.</param>
public readonly record struct YoloLossTerms(double Box, double Object, double NoObject, double Class)
{
    /// <summary>The loss: the sum of the four parts.</summary>
    public double Total => Box + Object + NoObject + Class;
}
