"""Reference values for the detection geometry and evaluation tests (test/MLNetExt.Core.Tests/Detection).

Run with Debian's Python, which has python3-torchvision 0.14 (torch 1.13):
    /usr/bin/python3 test/MLNetExt.Core.Tests/Reference/generate_detection.py

Writes Reference/detection/:
- overlap.json: box_iou, generalized_box_iou, distance_box_iou, complete_box_iou on random boxes (pairwise), and the
  same four on box pairs (elementwise: the diagonal of the pairwise matrix);
- nms.json: torchvision.ops.nms and batched_nms (its per-class "vanilla" path, which is the definition; the
  coordinate-offset path moves boxes by large offsets and so rounds IoUs differently) on clustered random boxes whose
  scores are quantized so that many tie, plus boxes planted at IoU exactly 0.5 against the threshold 0.5; the
  batched result is restated in stable order (its final torch.sort is not stable);
- anchors.json: k-means anchors with the 1 - IoU distance (AnchorClustering's definition, written out below in
  float32 as the C# code computes it) on box shapes drawn around 5 planted shapes;
- evaluation.json: a random detection data set (3 classes, crowd and difficult flags, objects of all COCO sizes) with
  its VOC AP (11-point and all-point, IoU 0.5 and 0.7) and COCO AP from the definitions written out below, as
  literal translations of the VOC devkit's VOCevaldet.m and pycocotools' COCOeval (evaluateImg, accumulate,
  summarize). pycocotools is not in Debian; the translations are cross-checked here on hand-made cases whose AP is
  worked out by hand (the asserts in check_by_hand).
"""
import json
import os

import numpy as np
import torch
import torchvision
from torchvision.ops import box_iou, generalized_box_iou, distance_box_iou, complete_box_iou, nms
from torchvision.ops.boxes import _batched_nms_vanilla

import refio

OUT = "detection"


def random_boxes(rng, n, size=100.0):
    xy = rng.uniform(0, size, (n, 2)).astype(np.float32)
    wh = rng.uniform(1, size / 2, (n, 2)).astype(np.float32)
    return np.concatenate([xy, xy + wh], axis=1).astype(np.float32)


def overlap(rng):
    a = random_boxes(rng, 7)
    b = random_boxes(rng, 9)
    # Special pairs: identical, contained, touching edges, disjoint.
    b[0] = a[0]
    b[1] = [a[1, 0] + 1, a[1, 1] + 1, a[1, 2] - 1, a[1, 3] - 1]
    b[2] = [a[2, 2], a[2, 1], a[2, 2] + 5, a[2, 3]]
    b[3] = [a[3, 2] + 10, a[3, 3] + 10, a[3, 2] + 20, a[3, 3] + 30]
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    tensors = {"boxes1": ta, "boxes2": tb,
               "iou": box_iou(ta, tb), "giou": generalized_box_iou(ta, tb),
               "diou": distance_box_iou(ta, tb), "ciou": complete_box_iou(ta, tb)}
    pairs = tb[:7]
    tensors["pairs"] = pairs
    for name, fn in [("iou", box_iou), ("giou", generalized_box_iou), ("diou", distance_box_iou), ("ciou", complete_box_iou)]:
        tensors[name + "_elementwise"] = torch.diagonal(fn(ta, pairs))
    refio.save(f"{OUT}/overlap.json", tensors)


def nms_cases(rng):
    n = 300
    centres = rng.uniform(20, 180, (12, 2))
    pick = rng.integers(0, 12, n)
    cxcy = centres[pick] + rng.normal(0, 4, (n, 2))
    wh = rng.uniform(10, 40, (n, 2))
    boxes = np.concatenate([cxcy - wh / 2, cxcy + wh / 2], axis=1).astype(np.float32)
    scores = (rng.integers(0, 40, n) / 40.0).astype(np.float32)  # 40 levels: many ties
    classes = rng.integers(0, 4, n)
    # Planted at IoU exactly 0.5 with box 0: [0,0,4,4] vs [0,0,4,2] (inter 8, union 16) and vs [2,0,6,4]... (4·4
    # inter 8 union 24 = 1/3); [0,0,4,4] vs [0,0,4,2] is kept at threshold 0.5 (not strictly greater).
    planted = np.array([[0, 0, 4, 4], [0, 0, 4, 2], [0, 0, 4, 3.5], [0, 0, 2, 4]], dtype=np.float32)
    boxes = np.concatenate([planted, boxes]).astype(np.float32)
    scores = np.concatenate([np.array([0.99, 0.9, 0.9, 0.95], dtype=np.float32), scores]).astype(np.float32)
    classes = np.concatenate([np.array([0, 0, 0, 0]), classes])
    tb, ts, tc = torch.from_numpy(boxes), torch.from_numpy(scores), torch.from_numpy(classes)
    tensors = {"boxes": tb, "scores": ts, "classes": tc}
    for threshold in (0.3, 0.5, 0.7):
        key = str(threshold).replace(".", "")
        tensors[f"keep_{key}"] = nms(tb, ts, threshold)
        # batched_nms orders its result with torch.sort, which is not stable: equal scores come out in any order.
        # The kept set is the definition; the order is restated here as MLNetExt defines it (score descending,
        # equal scores by index).
        batched = _batched_nms_vanilla(tb, ts, tc, threshold).tolist()
        tensors[f"batched_keep_{key}"] = torch.tensor(sorted(batched, key=lambda i: (-float(ts[i]), i)))
    keep = nms(tb[:4], ts[:4], 0.5).tolist()
    assert keep == [0, 3, 1], keep  # [0,0,2,4] and [0,0,4,2] are at IoU 0.5 exactly with box 0: kept; [0,0,4,3.5] is not
    refio.save(f"{OUT}/nms.json", tensors, meta={"torchvision": torchvision.__version__})


# ---- VOC (VOCevaldet.m), continuous coordinates ------------------------------------------------------------------

def iou_xyxy(d, g, crowd=False):
    w = min(float(d[2]), float(g[2])) - max(float(d[0]), float(g[0]))
    h = min(float(d[3]), float(g[3])) - max(float(d[1]), float(g[1]))
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    da = (float(d[2]) - float(d[0])) * (float(d[3]) - float(d[1]))
    if crowd:
        return inter / da
    ga = (float(g[2]) - float(g[0])) * (float(g[3]) - float(g[1]))
    return inter / (da + ga - inter)


def voc_class(images, c, threshold):
    npos = 0
    claimed = []
    for im in images:
        npos += sum(1 for k, gc in enumerate(im["gt_classes"]) if gc == c and not im["gt_difficult"][k])
        claimed.append([False] * len(im["gt_classes"]))
    dets = [(im_i, d, im["dt_scores"][d]) for im_i, im in enumerate(images) for d in range(len(im["dt_classes"]))
            if im["dt_classes"][d] == c]
    dets.sort(key=lambda t: -t[2])  # Python's sort is stable: equal scores keep image, then index order
    tp, fp, prec, rec = 0, 0, [], []
    for im_i, d, _ in dets:
        im = images[im_i]
        best, best_g = -np.inf, -1
        for g, gc in enumerate(im["gt_classes"]):
            if gc != c:
                continue
            o = iou_xyxy(im["dt_boxes"][d], im["gt_boxes"][g])
            if o > best:
                best, best_g = o, g
        if best_g >= 0 and best >= threshold:
            if im["gt_difficult"][best_g]:
                continue
            if claimed[im_i][best_g]:
                fp += 1
            else:
                claimed[im_i][best_g] = True
                tp += 1
        else:
            fp += 1
        prec.append(tp / (tp + fp))
        rec.append(tp / npos if npos else 0.0)
    return npos, np.array(prec), np.array(rec)


def voc_ap(prec, rec, eleven):
    if eleven:
        ap = 0.0
        for k in range(11):
            t = k / 10.0
            p = prec[rec >= t].max() if np.any(rec >= t) else 0.0
            ap += p / 11.0
        return ap
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = max(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def voc(images, classes, threshold, eleven):
    aps = []
    for c in range(classes):
        npos, prec, rec = voc_class(images, c, threshold)
        aps.append(voc_ap(prec, rec, eleven) if npos else float("nan"))
    present = [a for a in aps if not np.isnan(a)]
    return (float(np.mean(present)) if present else float("nan")), aps


# ---- COCO (pycocotools COCOeval, iouType bbox) -------------------------------------------------------------------

IOU_THRS = np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1, endpoint=True)
REC_THRS = np.linspace(.0, 1.00, int(np.round((1.00 - .0) / .01)) + 1, endpoint=True)
AREA_RNG = [[0 ** 2, 1e5 ** 2], [0 ** 2, 32 ** 2], [32 ** 2, 96 ** 2], [96 ** 2, 1e5 ** 2]]


def coco_evaluate_img(im, c, a_rng, max_det):
    gt = [g for g in range(len(im["gt_classes"])) if im["gt_classes"][g] == c]
    dt = [d for d in range(len(im["dt_classes"])) if im["dt_classes"][d] == c]
    if len(gt) == 0 and len(dt) == 0:
        return None
    g_ignore = [1 if (im["gt_crowd"][g] or im["gt_areas"][g] < a_rng[0] or im["gt_areas"][g] > a_rng[1]) else 0 for g in gt]
    gtind = np.argsort(g_ignore, kind="mergesort")
    gt = [gt[i] for i in gtind]
    dtind = np.argsort([-im["dt_scores"][d] for d in dt], kind="mergesort")
    dt = [dt[i] for i in dtind[0:max_det]]
    iscrowd = [int(im["gt_crowd"][g]) for g in gt]
    ious = np.array([[iou_xyxy(im["dt_boxes"][d], im["gt_boxes"][g], im["gt_crowd"][g]) for g in gt] for d in dt]).reshape(len(dt), len(gt))
    T, G, D = len(IOU_THRS), len(gt), len(dt)
    gtm = np.zeros((T, G))
    dtm = np.zeros((T, D))
    gt_ig = np.array([g_ignore[i] for i in gtind])
    dt_ig = np.zeros((T, D))
    if ious.size:
        for tind, t in enumerate(IOU_THRS):
            for dind in range(D):
                iou = min([t, 1 - 1e-10])
                m = -1
                for gind in range(G):
                    if gtm[tind, gind] > 0 and not iscrowd[gind]:
                        continue
                    if m > -1 and gt_ig[m] == 0 and gt_ig[gind] == 1:
                        break
                    if ious[dind, gind] < iou:
                        continue
                    iou = ious[dind, gind]
                    m = gind
                if m == -1:
                    continue
                dt_ig[tind, dind] = gt_ig[m]
                dtm[tind, dind] = gt[m] + 1  # ids start at 1: 0 means unmatched
                gtm[tind, m] = dt[dind] + 1
    area = [(im["dt_boxes"][d][2] - im["dt_boxes"][d][0]) * (im["dt_boxes"][d][3] - im["dt_boxes"][d][1]) for d in dt]
    a = np.array([ar < a_rng[0] or ar > a_rng[1] for ar in area]).reshape((1, D))
    dt_ig = np.logical_or(dt_ig, np.logical_and(dtm == 0, np.repeat(a, T, 0)))
    return {"dtScores": [im["dt_scores"][d] for d in dt], "dtMatches": dtm, "gtIgnore": gt_ig, "dtIgnore": dt_ig}


def coco(images, classes, max_det=100):
    T, R, K, A = len(IOU_THRS), len(REC_THRS), classes, len(AREA_RNG)
    precision = -np.ones((T, R, K, A))
    recall = -np.ones((T, K, A))
    for k in range(K):
        for a, a_rng in enumerate(AREA_RNG):
            E = [coco_evaluate_img(im, k, a_rng, max_det) for im in images]
            E = [e for e in E if e is not None]
            if len(E) == 0:
                continue
            dt_scores = np.concatenate([e["dtScores"][0:max_det] for e in E])
            inds = np.argsort(-dt_scores, kind="mergesort")
            dtm = np.concatenate([e["dtMatches"][:, 0:max_det] for e in E], axis=1)[:, inds]
            dt_ig = np.concatenate([e["dtIgnore"][:, 0:max_det] for e in E], axis=1)[:, inds]
            gt_ig = np.concatenate([e["gtIgnore"] for e in E])
            npig = np.count_nonzero(gt_ig == 0)
            if npig == 0:
                continue
            tps = np.logical_and(dtm, np.logical_not(dt_ig))
            fps = np.logical_and(np.logical_not(dtm), np.logical_not(dt_ig))
            tp_sum = np.cumsum(tps, axis=1).astype(dtype=float)
            fp_sum = np.cumsum(fps, axis=1).astype(dtype=float)
            for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum)):
                tp, fp = np.array(tp), np.array(fp)
                nd = len(tp)
                rc = tp / npig
                pr = tp / (fp + tp + np.spacing(1))
                q = np.zeros((R,))
                recall[t, k, a] = rc[-1] if nd else 0
                pr, q = pr.tolist(), q.tolist()
                for i in range(nd - 1, 0, -1):
                    if pr[i] > pr[i - 1]:
                        pr[i - 1] = pr[i]
                inds2 = np.searchsorted(rc, REC_THRS, side="left")
                try:
                    for ri, pi in enumerate(inds2):
                        q[ri] = pr[pi]
                except IndexError:
                    pass
                precision[t, :, k, a] = np.array(q)

    def mean(s):
        s = s[s > -1]
        return float(np.mean(s)) if len(s) else float("nan")

    return {
        "map": mean(precision[:, :, :, 0]),
        "map50": mean(precision[np.where(IOU_THRS == .5)[0], :, :, 0]),
        "map75": mean(precision[np.where(IOU_THRS == .75)[0], :, :, 0]),
        "map_small": mean(precision[:, :, :, 1]),
        "map_medium": mean(precision[:, :, :, 2]),
        "map_large": mean(precision[:, :, :, 3]),
        "ar": mean(recall[:, :, 0]),
        "ar_small": mean(recall[:, :, 1]),
        "per_class": [mean(precision[:, :, k, 0]) for k in range(K)],
        "precision_class0_iou50": precision[0, :, 0, 0].tolist(),
    }


def image(gt_boxes, gt_classes, dt_boxes, dt_scores, dt_classes, crowd=None, difficult=None, areas=None):
    gt_boxes = [list(map(float, b)) for b in gt_boxes]
    return {"gt_boxes": gt_boxes, "gt_classes": list(gt_classes),
            "gt_crowd": list(crowd) if crowd is not None else [False] * len(gt_classes),
            "gt_difficult": list(difficult) if difficult is not None else [False] * len(gt_classes),
            "gt_areas": list(areas) if areas is not None else [(b[2] - b[0]) * (b[3] - b[1]) for b in gt_boxes],
            "dt_boxes": [list(map(float, b)) for b in dt_boxes], "dt_scores": list(map(float, dt_scores)),
            "dt_classes": list(dt_classes)}


def check_by_hand():
    # Two objects; detections ranked TP, FP, TP: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1.
    # All-point: 1/2·1 + 1/2·2/3 = 5/6. 11-point: t ≤ 0.5 → 1 (6 points), t ≥ 0.6 → 2/3 (5 points): (6 + 10/3)/11.
    ims = [image([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 0],
                 [[0, 0, 10, 10], [50, 50, 60, 60], [20, 20, 30, 30]], [0.9, 0.8, 0.7], [0, 0, 0])]
    assert abs(voc(ims, 1, 0.5, False)[0] - 5 / 6) < 1e-12
    assert abs(voc(ims, 1, 0.5, True)[0] - (6 + 10 / 3) / 11) < 1e-12
    # COCO on the same: every IoU is 1 or 0, so all ten thresholds agree. Precision at recall points 0…0.5 is 1
    # (51 points), at 0.51…1 it is 2/3 (50 points): AP = (51 + 100/3)/101.
    r = coco(ims, 1)
    assert abs(r["map"] - (51 + 100 / 3) / 101) < 1e-12, r["map"]
    # A duplicate on one object is a false positive; a detection on a difficult object does not count (VOC).
    ims = [image([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 0], [[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]],
                 [0.9, 0.8, 0.7], [0, 0, 0], difficult=[False, True])]
    assert abs(voc(ims, 1, 0.5, False)[0] - 1.0) < 1e-12  # TP, FP then ignored: AP = 1·1
    # COCO: a detection on a crowd is ignored; the single real object found first gives AP 1.
    ims = [image([[0, 0, 10, 10], [20, 20, 60, 60]], [0, 0], [[0, 0, 10, 10], [25, 25, 35, 35]], [0.9, 0.95], [0, 0],
                 crowd=[False, True])]
    assert abs(coco(ims, 1)["map"] - 1.0) < 1e-12
    # Half-overlapping detection (IoU 1/3 with [0,0,10,10] shifted by 5): a miss at IoU 0.5, so AP 0.
    ims = [image([[0, 0, 10, 10]], [0], [[5, 0, 15, 10]], [0.9], [0])]
    assert voc(ims, 1, 0.5, False)[0] == 0.0 and abs(voc(ims, 1, 0.3, False)[0] - 1.0) < 1e-12


def evaluation_set(rng):
    images = []
    sizes = [8, 24, 48, 80, 140]  # straddling COCO's 32 and 96 bounds
    for _ in range(25):
        g = int(rng.integers(0, 6))
        gt_boxes, gt_classes, crowd, difficult = [], [], [], []
        for _ in range(g):
            s = float(rng.choice(sizes)) * float(rng.uniform(0.8, 1.2))
            x, y = rng.uniform(0, 400, 2)
            gt_boxes.append(np.array([x, y, x + s, y + s * rng.uniform(0.6, 1.4)], dtype=np.float32))
            gt_classes.append(int(rng.integers(0, 3)))
            crowd.append(bool(rng.random() < 0.1))
            difficult.append(bool(rng.random() < 0.1))
        dt_boxes, dt_scores, dt_classes = [], [], []
        for b, c in zip(gt_boxes, gt_classes):
            for _ in range(int(rng.integers(0, 3))):  # misses, hits and duplicates
                w, h = b[2] - b[0], b[3] - b[1]
                jitter = rng.normal(0, 0.12, 4) * np.array([w, h, w, h])
                dt_boxes.append((b + jitter).astype(np.float32))
                dt_scores.append(float(np.float32(rng.integers(1, 20) / 20)))  # ties across images
                dt_classes.append(c if rng.random() < 0.9 else int(rng.integers(0, 3)))
        for _ in range(int(rng.integers(0, 4))):  # background false positives
            s = float(rng.choice(sizes))
            x, y = rng.uniform(0, 400, 2)
            dt_boxes.append(np.array([x, y, x + s, y + s], dtype=np.float32))
            dt_scores.append(float(np.float32(rng.integers(1, 20) / 20)))
            dt_classes.append(int(rng.integers(0, 3)))
        areas = [float(np.float32((b[2] - b[0]) * (b[3] - b[1]) * rng.uniform(0.7, 1.0))) for b in gt_boxes]
        images.append(image(gt_boxes, gt_classes, dt_boxes, dt_scores, dt_classes, crowd, difficult, areas))
    return images


def f32(v):
    return float(f"{float(np.float32(v)):.9g}")


def evaluation(rng):
    check_by_hand()
    images = evaluation_set(rng)
    for im in images:  # store what the C# test reads: float32 values that round-trip
        for key in ("gt_boxes", "dt_boxes"):
            im[key] = [[f32(v) for v in b] for b in im[key]]
        im["gt_areas"] = [f32(v) for v in im["gt_areas"]]
        im["dt_scores"] = [f32(v) for v in im["dt_scores"]]
    doc = {"classes": 3, "images": images}
    for threshold in (0.5, 0.7):
        for eleven in (True, False):
            m, aps = voc(images, 3, threshold, eleven)
            doc[f"voc_{'11' if eleven else 'all'}_{str(threshold).replace('.', '')}"] = {"map": m, "per_class": aps}
    doc["coco"] = coco(images, 3)
    doc["coco_maxdet_2"] = {"map": coco(images, 3, max_det=2)["map"]}
    path = os.path.join(refio.HERE, OUT, "evaluation.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=True)
    os.replace(path + ".tmp", path)


def shape_iou(w, h, cw, ch):
    inter = np.minimum(w, cw) * np.minimum(h, ch)
    return inter / (w * h + cw * ch - inter)


def kmeans_anchors(sizes, k, max_iterations=300):
    w, h = sizes[:, 0], sizes[:, 1]
    n = len(w)
    order = sorted(range(n), key=lambda i: (float(w[i]) * float(h[i]), float(w[i]), i))
    picks = [order[int((c + 0.5) * n / k)] for c in range(k)]
    cw, ch = w[picks].copy(), h[picks].copy()
    cluster = np.full(n, -1)
    for _ in range(max_iterations):
        ious = shape_iou(w[:, None], h[:, None], cw[None, :], ch[None, :])  # float32 [n, k]
        best = ious.argmax(axis=1)
        if np.array_equal(best, cluster):
            break
        cluster = best
        for c in range(k):
            members = cluster == c
            if members.any():
                cw[c] = np.float32(np.sum(w[members].astype(np.float64)) / members.sum())
                ch[c] = np.float32(np.sum(h[members].astype(np.float64)) / members.sum())
    mean_iou = float(np.mean(shape_iou(w[:, None], h[:, None], cw[None, :], ch[None, :]).max(axis=1).astype(np.float64)))
    by_area = sorted(range(k), key=lambda c: (float(cw[c]) * float(ch[c]), float(cw[c])))
    return np.array([[cw[c], ch[c]] for c in by_area], dtype=np.float32), mean_iou


def anchors(rng):
    centres = np.array([[12, 16], [40, 30], [30, 90], [120, 60], [200, 220]], dtype=np.float64)
    pick = rng.integers(0, len(centres), 400)
    sizes = (centres[pick] * rng.lognormal(0, 0.15, (400, 2))).astype(np.float32)
    result, mean_iou = kmeans_anchors(sizes, 5)
    refio.save(f"{OUT}/anchors.json", {"sizes": torch.from_numpy(sizes), "anchors": torch.from_numpy(result)}, meta={"mean_iou": mean_iou})


if __name__ == "__main__":
    rng = np.random.default_rng(12)
    overlap(rng)
    nms_cases(rng)
    evaluation(rng)
    anchors(np.random.default_rng(5))
