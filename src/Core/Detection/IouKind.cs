namespace MLNetExt.Core.Detection;

/// <summary>The overlap measures of <see cref="BoxOverlap"/>, as torchvision.ops computes them.</summary>
public enum IouKind
{
    /// <summary>IoU = |A ∩ B| / |A ∪ B| (<c>box_iou</c>).</summary>
    Iou,

    /// <summary>GIoU = IoU − (|C| − |A ∪ B|) / |C|, C the smallest box enclosing both (<c>generalized_box_iou</c>).</summary>
    Generalized,

    /// <summary>DIoU = IoU − ρ² / (c² + ε): ρ the distance between the centres, c the diagonal of C (<c>distance_box_iou</c>).</summary>
    Distance,

    /// <summary>CIoU = DIoU − α·v, v = 4/π²·(atan(w₁/h₁) − atan(w₂/h₂))², α = v / (1 − IoU + v + ε) (<c>complete_box_iou</c>).</summary>
    Complete,
}
