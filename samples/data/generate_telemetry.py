#!/usr/bin/env python3
"""Generates samples/data/telemetry.csv: five-minute readings of one web server over ten and a half days, for the
anomaly detection sample. Pure Python, fixed seed, so the file is reproducible byte for byte.

A normal reading follows two hidden drivers: the load (a daily cycle with noise) and the cache hit ratio (drifting
slowly). Every column is a curved function of them: CPU saturates with load, latency climbs steeply near full load
and with cache misses, disk reads grow with load times misses, memory grows with the cache. About 4% of readings are
incidents that break one of these relations while each value on its own stays in its normal range (a runaway process:
CPU busy at low traffic; exfiltration: outbound traffic out of proportion to requests; a failing disk: latency up with
little disk work; a cache flush: disk reads and memory out of line with each other; a stalled backend: few requests
answered slowly at an ordinary CPU). The label (1 = incident) is for evaluation only.
Columns: requests_per_s,cpu_pct,memory_pct,latency_ms,net_out_mbps,disk_reads_per_s,label"""
import math
import os
import random

rng = random.Random(20260314)
READINGS = 3000          # 288 readings a day
INCIDENT_RATE = 0.04


def clamp(value, low, high):
    return max(low, min(high, value))


def normal_reading(load, hit):
    requests = 40 + 960 * load + rng.gauss(0, 12)
    cpu = 6 + 88 * (1 - math.exp(-2.4 * load)) / (1 - math.exp(-2.4)) + rng.gauss(0, 1.5)
    memory = 28 + 55 * hit + rng.gauss(0, 1.2)
    latency = 18 + 110 * load ** 4 + 90 * (1 - hit) * load + rng.gauss(0, 2.0)
    net_out = 3 + 0.11 * requests + rng.gauss(0, 2.5)
    disk = 60 + 2600 * (1 - hit) * load + rng.gauss(0, 25)
    return [requests, cpu, memory, latency, net_out, disk]


def incident(load, hit):
    row = normal_reading(load, hit)
    kind = rng.randrange(5)
    if kind == 0:    # runaway process: CPU as at peak while traffic is light
        row[1] = rng.uniform(70, 92)
    elif kind == 1:  # exfiltration: outbound traffic two to three times what the requests explain
        row[4] = row[4] * rng.uniform(2.0, 3.0) + 10
    elif kind == 2:  # failing disk: latency as at peak, with ordinary disk reads
        row[3] = rng.uniform(90, 150)
    elif kind == 3:  # cache flush: disk reads as with a cold cache while memory says the cache is full
        row[5] = 60 + 2600 * rng.uniform(0.25, 0.4) * max(load, 0.5) + rng.gauss(0, 25)
    else:            # stalled backend: few requests answered slowly, CPU as at the usual load
        row[0] = row[0] * rng.uniform(0.3, 0.5)
        row[4] = 3 + 0.11 * row[0] + rng.gauss(0, 2.5)
        row[3] = row[3] + rng.uniform(40, 70)
    return row


rows = []
hit = 0.85
for i in range(READINGS):
    day = (i % 288) / 288
    load = clamp(0.5 - 0.38 * math.cos(2 * math.pi * day) + rng.gauss(0, 0.06), 0.03, 1.0)
    hit = clamp(hit + rng.gauss(0, 0.02) + 0.02 * (0.85 - hit), 0.6, 0.98)
    # incidents at light-to-moderate load, where what they break is visible without lying outside the normal range
    if rng.random() < INCIDENT_RATE:
        rows.append((incident(clamp(load, 0.1, 0.6), hit), 1))
    else:
        rows.append((normal_reading(load, hit), 0))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "telemetry.csv")
with open(path, "w", newline="\n") as f:
    f.write("requests_per_s,cpu_pct,memory_pct,latency_ms,net_out_mbps,disk_reads_per_s,label\n")
    for values, label in rows:
        requests, cpu, memory, latency, net_out, disk = values
        f.write(f"{max(requests, 0):.1f},{clamp(cpu, 0, 100):.1f},{clamp(memory, 0, 100):.1f},{max(latency, 1):.1f},{max(net_out, 0):.2f},{max(disk, 0):.0f},{label}\n")
