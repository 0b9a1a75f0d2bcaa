#!/usr/bin/env python3
"""Generates samples/data/dates.tsv (text, iso): dates from 1950 to 2049 written in one of 16 human formats, each
with its ISO 8601 form (yyyy-mm-dd). Every format is unambiguous (US month/day order only), so each text has one
right answer. Pure Python, fixed seed, reproducible byte for byte."""
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n):
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


FORMATS = [
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day:02d} {MONTHS[d.month - 1][:3]} {d.year}",
    lambda d: f"{ordinal(d.day)} of {MONTHS[d.month - 1]}, {d.year}",
    lambda d: f"{DAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{DAYS[d.weekday()][:3]}, {d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.month}/{d.day}/{d.year}",
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {ordinal(d.day)}, {d.year}",
    lambda d: f"{d.day}-{MONTHS[d.month - 1][:3]}-{d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}".upper(),
    lambda d: f"{MONTHS[d.month - 1]} {d.day} {d.year}".lower(),
]

rng = random.Random(20261202)
first = datetime.date(1950, 1, 1)
span = (datetime.date(2049, 12, 31) - first).days + 1
with open(os.path.join(HERE, "dates.tsv"), "w", encoding="utf-8", newline="\n") as f:
    f.write("text\tiso\n")
    for _ in range(3000):
        d = first + datetime.timedelta(days=rng.randrange(span))
        f.write(f"{rng.choice(FORMATS)(d)}\t{d.isoformat()}\n")
