#!/usr/bin/env python3
"""Generates the synthetic sequence data sets in samples/data. Pure Python, fixed seeds, reproducible byte for byte.

- sentiment.tsv (text, label 0/1): reviews where word order decides the label. Each review has three clauses such
  as "the food was not good" or "the service was bad", joined by "and"/"but"; the label is positive when more clauses
  are positive. "not" flips the word after it, so "not good ... bad" and "good ... not bad" hold the same bag of words
  with opposite labels. A fifth of the reviews are lists in the course notes' style: "lacking in good taste , good
  service , and good ambience" (negative) against "full of good taste , ..." (positive), with the cue word placed
  at the start or the end.
- seasonal.csv (value): 800 steps of a trend plus two seasonal cycles (periods 12 and 30) plus noise.
- tagging.tsv (tokens, tags): negation-scope tagging. "not" is tagged CUE, the words after it up to the next "," or
  "and"/"but" are tagged NEG, every other word O, so a word's tag depends on the words before it.
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
ASPECTS = ["food", "service", "staff", "music", "price", "room", "view", "wine"]
POSITIVE = ["good", "great", "nice"]
NEGATIVE = ["bad", "awful", "poor"]


def clause(rng):
    aspect = rng.choice(ASPECTS)
    positive = rng.random() < 0.5
    word = rng.choice(POSITIVE if positive else NEGATIVE)
    negated = rng.random() < 0.5
    tokens = ["the", aspect, "was"] + (["not"] if negated else []) + [word]
    return tokens, positive != negated


def review(rng):
    if rng.random() < 0.2:
        items = rng.sample(ASPECTS, 3)
        listed = ["good", items[0], ",", "good", items[1], ",", "and", "good", items[2]]
        lacking = rng.random() < 0.5
        cue = ["lacking", "in"] if lacking else ["full", "of"]
        return (["completely"] + cue + listed) if rng.random() < 0.5 else (listed + ["was", "what", "it", "was"] + (["lacking"] if lacking else ["full", "of"])), not lacking
    tokens, score = [], 0
    for i in range(3):
        words, positive = clause(rng)
        if i > 0:
            tokens.append(rng.choice(["and", "but"]))
        tokens += words
        score += 1 if positive else -1
    return tokens, score > 0


def write_sentiment():
    rng = random.Random(5150)
    with open(os.path.join(HERE, "sentiment.tsv"), "w", newline="\n") as f:
        f.write("text\tlabel\n")
        for _ in range(2000):
            tokens, positive = review(rng)
            f.write(" ".join(tokens) + "\t" + ("1" if positive else "0") + "\n")


def write_seasonal():
    rng = random.Random(1234)
    with open(os.path.join(HERE, "seasonal.csv"), "w", newline="\n") as f:
        f.write("value\n")
        for t in range(800):
            value = 10 + 0.01 * t + 5 * math.sin(2 * math.pi * t / 12) + 2 * math.sin(2 * math.pi * t / 30) + rng.gauss(0, 0.3)
            f.write(f"{value:.4f}\n")


def write_tagging():
    rng = random.Random(777)
    with open(os.path.join(HERE, "tagging.tsv"), "w", newline="\n") as f:
        f.write("tokens\ttags\n")
        for _ in range(1200):
            tokens, tags = [], []
            for i in range(rng.randint(1, 3)):
                if i > 0:
                    tokens.append(rng.choice([",", "and", "but"]))
                    tags.append("O")
                aspect = rng.choice(ASPECTS)
                words = ["the", aspect, "was"]
                tokens += words
                tags += ["O"] * len(words)
                negated = rng.random() < 0.5
                if negated:
                    tokens.append("not")
                    tags.append("CUE")
                adjectives = [rng.choice(POSITIVE + NEGATIVE) for _ in range(rng.randint(1, 2))]
                if len(adjectives) == 2:
                    adjectives.insert(1, "really")
                tokens += adjectives
                tags += ["NEG" if negated else "O"] * len(adjectives)
            f.write(" ".join(tokens) + "\t" + " ".join(tags) + "\n")


if __name__ == "__main__":
    write_sentiment()
    write_seasonal()
    write_tagging()
