namespace MLNetExt.Core.Detection;

/// <summary>How the four numbers of an axis-aligned box are laid out (torchvision's <c>box_convert</c> names).</summary>
public enum BoxFormat
{
    /// <summary>(x1, y1, x2, y2): the top-left and bottom-right corners.</summary>
    Xyxy,

    /// <summary>(x1, y1, w, h): the top-left corner, the width and the height (COCO's annotation format).</summary>
    Xywh,

    /// <summary>(cx, cy, w, h): the centre, the width and the height (the layout YOLO heads predict).</summary>
    Cxcywh,
}
