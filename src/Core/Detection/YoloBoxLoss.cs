namespace MLNetExt.Core.Detection;

/// <summary>How <see cref="YoloLoss"/> scores the box predicted in a slot that holds an object.</summary>
public enum YoloBoxLoss
{
    /// <summary>
    /// Squared error against the encoded targets, as darknet's YOLOv2 region layer: the centre through the sigmoid,
    /// the size in log space, (σ(tx) − b_x)² + (σ(ty) − b_y)² + (tw − ln(b_w/p_w))² + (th − ln(b_h/p_h))², with b the
    /// target in cells and p the slot's anchor in cells. No exponential is taken, so a wild tw cannot overflow the loss.
    /// </summary>
    SquaredError,

    /// <summary>
    /// 1 − CIoU (<see cref="BoxOverlap"/>'s complete IoU) between the decoded box, centre σ(tx)·stride and size
    /// anchor·e^tw in image pixels, and the target box. As in torchvision's <c>complete_box_iou_loss</c> and
    /// Ultralytics, the trade-off α = v / (1 − IoU + v + ε) is held constant in the gradient.
    /// </summary>
    CompleteIou,
}
