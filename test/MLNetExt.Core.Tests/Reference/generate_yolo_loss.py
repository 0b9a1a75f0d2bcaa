"""Reference values for the YOLO loss (test/MLNetExt.Core.Tests/Detection/YoloLossTests.cs).

Run with Debian's Python (torch 1.13):
    /usr/bin/python3 test/MLNetExt.Core.Tests/Reference/generate_yolo_loss.py

The loss is written out below from its definition (YoloLoss's XML docs) in float64, so the C# float32 result is
compared with the exact value, and the gradient with respect to the head output comes from PyTorch's autograd:
- head output [B, A*(5+C), Sy, Sx], channel-major per anchor: tx, ty, tw, th, to, class logits;
- targets [B, Sy, Sx, A, 5+C]: p_c, b_x, b_y, b_h, b_w (cells), one-hot classes, as YoloTargetEncoder writes them;
- box: squared error (sigmoid(tx) - b_x)^2 + ... + (tw - ln(b_w / anchor_w))^2 + ..., or 1 - CIoU of the decoded box
  in pixels with CIoU as torchvision's complete_box_iou (BoxOverlap's definition; alpha under no_grad, as in
  torchvision's complete_box_iou_loss);
- objectness: BCE-with-logits, weight 1 for objects and lambda_noobj for empty slots;
- classes: BCE-with-logits per class, or cross-entropy over the softmax;
- L = (lambda_coord * box + obj + lambda_noobj * noobj + class) summed over everything, divided by B.

Writes Reference/detection/yolo_loss_{squared,ciou}_{bce,ce}.json with the head output, targets, anchors, the loss,
its four terms and the gradient.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

import refio

OUT = "detection"
EPS = 1e-7


def ciou_loss(pred, target):
    """1 - CIoU for cxcywh boxes [N, 4]; alpha held constant."""
    px, py, pw, ph = pred.unbind(-1)
    gx, gy, gw, gh = target.unbind(-1)
    x1, x2, y1, y2 = px - pw / 2, px + pw / 2, py - ph / 2, py + ph / 2
    gx1, gx2, gy1, gy2 = gx - gw / 2, gx + gw / 2, gy - gh / 2, gy + gh / 2
    inter_w = (torch.minimum(x2, gx2) - torch.maximum(x1, gx1)).clamp(min=0)
    inter_h = (torch.minimum(y2, gy2) - torch.maximum(y1, gy1)).clamp(min=0)
    inter = inter_w * inter_h
    union = pw * ph + gw * gh - inter
    iou = inter / union
    hull_w = torch.maximum(x2, gx2) - torch.minimum(x1, gx1)
    hull_h = torch.maximum(y2, gy2) - torch.minimum(y1, gy1)
    diagonal = hull_w ** 2 + hull_h ** 2 + EPS
    distance = (px - gx) ** 2 + (py - gy) ** 2
    v = (4 / math.pi ** 2) * (torch.atan(pw / ph) - torch.atan(gw / gh)) ** 2
    with torch.no_grad():
        alpha = v / (1 - iou + v + EPS)
    return 1 - iou + distance / diagonal + alpha * v


def yolo_loss(head, targets, anchors, image_w, image_h, num_classes, box_loss, class_loss, coord, noobj):
    b, _, sy, sx = head.shape
    a = anchors.shape[0]
    e = 5 + num_classes
    # [B, A, 5+C, Sy, Sx] -> [B, Sy, Sx, A, 5+C], the targets' layout.
    p = head.reshape(b, a, e, sy, sx).permute(0, 3, 4, 1, 2)
    obj = targets[..., 0] == 1
    cell_w, cell_h = image_w / sx, image_h / sy
    anchor_w = anchors[:, 0].reshape(1, 1, 1, a).expand(b, sy, sx, a)[obj]
    anchor_h = anchors[:, 1].reshape(1, 1, 1, a).expand(b, sy, sx, a)[obj]
    po, t = p[obj], targets[obj]
    if box_loss == "squared":
        box = ((torch.sigmoid(po[:, 0]) - t[:, 1]) ** 2 + (torch.sigmoid(po[:, 1]) - t[:, 2]) ** 2
               + (po[:, 2] - torch.log(t[:, 4] / (anchor_w / cell_w))) ** 2
               + (po[:, 3] - torch.log(t[:, 3] / (anchor_h / cell_h))) ** 2).sum()
    else:
        pred = torch.stack([torch.sigmoid(po[:, 0]) * cell_w, torch.sigmoid(po[:, 1]) * cell_h,
                            anchor_w * torch.exp(po[:, 2]), anchor_h * torch.exp(po[:, 3])], -1)
        target = torch.stack([t[:, 1] * cell_w, t[:, 2] * cell_h, t[:, 4] * cell_w, t[:, 3] * cell_h], -1)
        box = ciou_loss(pred, target).sum()
    objectness = F.binary_cross_entropy_with_logits(po[:, 4], torch.ones_like(po[:, 4]), reduction="sum")
    empty = p[~obj][:, 4]
    no_object = F.binary_cross_entropy_with_logits(empty, torch.zeros_like(empty), reduction="sum")
    if class_loss == "bce":
        classes = F.binary_cross_entropy_with_logits(po[:, 5:], t[:, 5:], reduction="sum")
    else:
        classes = F.cross_entropy(po[:, 5:], t[:, 5:], reduction="sum")
    terms = torch.stack([coord * box / b, objectness / b, noobj * no_object / b, classes / b])
    return terms.sum(), terms


def case(rng, box_loss, class_loss):
    b, sy, sx, num_classes = 2, 3, 4, 3
    image_w, image_h = 128, 72  # cells of 32 x 24 pixels: not square, so CIoU's aspect term sees pixels
    anchors = np.array([[20, 30], [50, 22]], dtype=np.float32)
    a = len(anchors)
    e = 5 + num_classes
    targets = np.zeros((b, sy, sx, a, e), dtype=np.float32)
    slots = rng.choice(b * sy * sx * a, size=7, replace=False)
    for s in slots:
        i, y, x, k = np.unravel_index(s, (b, sy, sx, a))
        targets[i, y, x, k, 0] = 1
        targets[i, y, x, k, 1:3] = rng.uniform(0.05, 0.95, 2)
        targets[i, y, x, k, 3] = rng.uniform(0.3, 2.0) * anchors[k, 1] / (image_h / sy)
        targets[i, y, x, k, 4] = rng.uniform(0.3, 2.0) * anchors[k, 0] / (image_w / sx)
        targets[i, y, x, k, 5 + rng.integers(0, num_classes)] = 1
    head = rng.normal(0, 1.5, (b, a * e, sy, sx)).astype(np.float32)
    head64 = torch.tensor(head, dtype=torch.float64, requires_grad=True)
    loss, terms = yolo_loss(head64, torch.tensor(targets, dtype=torch.float64), torch.tensor(anchors, dtype=torch.float64),
                            image_w, image_h, num_classes, box_loss, class_loss, coord=5.0, noobj=0.5)
    loss.backward()
    meta = {"image_width": image_w, "image_height": image_h, "rows": sy, "columns": sx, "class_count": num_classes,
            "coordinate_weight": 5.0, "no_object_weight": 0.5}
    refio.save(f"{OUT}/yolo_loss_{box_loss}_{class_loss}.json",
               {"head": torch.from_numpy(head), "targets": torch.from_numpy(targets), "anchors": torch.from_numpy(anchors),
                "loss": loss.detach().reshape(()), "terms": terms.detach(), "grad_head": head64.grad}, meta=meta)


if __name__ == "__main__":
    for box_loss in ("squared", "ciou"):
        for class_loss in ("bce", "ce"):
            case(np.random.default_rng(31), box_loss, class_loss)
