"""The torchvision reference for bench/compare-yolo-decode.sh: decoding + NMS of one YOLOv8 output [1, 4 + C, N].

    /usr/bin/python3 yolo_decode.py write FILE [N C OBJECTS SEED]   writes a synthetic output as raw float32 [4 + C, N]
    /usr/bin/python3 yolo_decode.py time FILE N C THREADS [ROUNDS]  times the torchvision path on it

The path timed is Ultralytics' YOLOv8 post-processing with torchvision (non-multi-label): transpose to [N, 4 + C],
best class and score per box, keep score > 0.25, cxcywh -> xyxy, torchvision.ops.batched_nms at IoU 0.45, the first
300 kept. Prints `torchvision yolo-decode threads=<t> boxes=<n> classes=<c> candidates=<k> kept=<m> us_per_call=<x>`
(the best of ROUNDS timings of back-to-back calls), the format of the `yolo-decode` bench command.
"""
import sys
import time

import numpy as np


def write(path, n=8400, classes=80, objects=60, seed=0):
    # Background: every box weakly scored; objects: 15-30 jittered anchors each, one class scored 0.3-0.95.
    rng = np.random.default_rng(seed)
    out = np.zeros((4 + classes, n), dtype=np.float32)
    out[0:2] = rng.uniform(0, 640, (2, n))
    out[2:4] = rng.uniform(10, 200, (2, n))
    out[4:] = rng.uniform(0, 0.02, (classes, n))
    free = rng.permutation(n)
    taken = 0
    for _ in range(objects):
        box = np.array([*rng.uniform(50, 590, 2), *rng.uniform(20, 200, 2)])
        cls = rng.integers(0, classes)
        k = int(rng.integers(15, 31))
        idx = free[taken:taken + k]
        taken += k
        out[0:4, idx] = (box[:, None] + rng.normal(0, 6, (4, k))).astype(np.float32)
        out[4 + cls, idx] = rng.uniform(0.3, 0.95, k).astype(np.float32)
    out.tofile(path)


def decode(output, classes, conf=0.25, iou=0.45, max_det=300):
    import torch
    import torchvision
    x = output.T                                   # [N, 4 + C]
    box, cls = x[:, :4], x[:, 4:4 + classes]
    score, j = cls.max(1)
    keep = score > conf
    box, score, j = box[keep], score[keep], j[keep]
    xyxy = torch.empty_like(box)
    half = box[:, 2:] / 2
    xyxy[:, :2] = box[:, :2] - half
    xyxy[:, 2:] = box[:, :2] + half
    kept = torchvision.ops.batched_nms(xyxy, score, j, iou)[:max_det]
    return box.shape[0], xyxy[kept], score[kept], j[kept]


def time_it(path, n, classes, threads, rounds=5):
    import torch
    torch.set_num_threads(threads)
    output = torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(4 + classes, n))
    with torch.no_grad():
        candidates, boxes, _, _ = decode(output, classes)
        for _ in range(20):
            decode(output, classes)
        start = time.perf_counter()
        reps = 1
        while time.perf_counter() - start < 0.2:  # reps for about 0.2 s per timing
            decode(output, classes)
            reps += 1
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(reps):
                decode(output, classes)
            best = min(best, (time.perf_counter() - start) / reps)
    print(f"torchvision yolo-decode threads={threads} boxes={n} classes={classes} candidates={candidates} "
          f"kept={boxes.shape[0]} us_per_call={best * 1e6:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], *[int(a) for a in sys.argv[3:]])
    else:
        time_it(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), *[int(a) for a in sys.argv[6:]])
