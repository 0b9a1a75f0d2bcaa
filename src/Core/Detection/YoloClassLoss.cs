namespace MLNetExt.Core.Detection;

/// <summary>How <see cref="YoloLoss"/> scores the class logits of a slot that holds an object.</summary>
public enum YoloClassLoss
{
    /// <summary>Independent sigmoids, as YOLOv3 and later: Σ_c BCE-with-logits(l_c, t_c).</summary>
    BinaryCrossEntropy,

    /// <summary>One softmax over the classes, as YOLOv2: −Σ_c t_c·log softmax(l)_c.</summary>
    CrossEntropy,
}
