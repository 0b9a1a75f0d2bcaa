#!/usr/bin/env python3
"""Generates samples/data/spirals.csv: three interleaved noisy spirals in the plane (a classic task that a linear
model cannot separate and a small MLP can). Pure Python, fixed seed, so the file is reproducible byte for byte.
Columns: x,y,label (label 0..2)."""
import math
import os
import random

rng = random.Random(20261122)
rows = []
points_per_class, classes = 300, 3
for label in range(classes):
    for i in range(points_per_class):
        r = i / points_per_class
        theta = label * 2 * math.pi / classes + 4.0 * r + rng.gauss(0, 0.2)
        rows.append((r * math.sin(theta), r * math.cos(theta), label))
rng.shuffle(rows)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spirals.csv")
with open(path, "w", newline="\n") as f:
    f.write("x,y,label\n")
    for x, y, label in rows:
        f.write(f"{x:.6f},{y:.6f},{label}\n")
