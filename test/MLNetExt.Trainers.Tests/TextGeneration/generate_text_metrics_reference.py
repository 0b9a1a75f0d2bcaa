#!/usr/bin/python3
"""Reference values for MLNetExt's BLEU and ROUGE (src/Trainers/TextGeneration), written to
Reference/text_metrics.json. Run with Debian's python3-nltk (3.8): /usr/bin/python3 generate_text_metrics_reference.py

BLEU comes from NLTK's corpus_bleu and sentence_bleu with uniform weights; smoothing "none" is NLTK's method0,
"floor" method1 (epsilon 0.1), "addk" method2 (k = 1), "exponential" method3. NLTK counts one n-gram of order n
for a hypothesis shorter than n where the original definition (and sacrebleu, and MLNetExt) count none, so every
hypothesis here has at least 4 tokens; MLNetExt's tests check the shorter cases by hand.

ROUGE: neither Google's rouge-score nor another ROUGE package is in Debian, so ROUGE-N and ROUGE-L are written out
below from Lin (2004) as rouge-score computes them (multiset n-gram overlap; LCS by dynamic programming; F1; with
several references the best F1), independently of MLNetExt's code.
"""
import json
import os
import random
from collections import Counter

from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu

SMOOTHING = {
    "none": SmoothingFunction().method0,
    "floor": SmoothingFunction(epsilon=0.1).method1,
    "addk": SmoothingFunction().method2,
    "exponential": SmoothingFunction().method3,
}


def weights(order):
    return tuple([1.0 / order] * order)


def ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def score(overlap, hyp_count, ref_count):
    p = overlap / hyp_count if hyp_count else 0.0
    r = overlap / ref_count if ref_count else 0.0
    return [p, r, 2 * p * r / (p + r) if p + r else 0.0]


def rouge_n(hyp, refs, n):
    h = ngrams(hyp, n)
    best = None
    for ref in refs:
        rc = ngrams(ref, n)
        s = score(sum(min(c, rc[g]) for g, c in h.items()), sum(h.values()), sum(rc.values()))
        if best is None or s[2] > best[2]:
            best = s
    return best


def lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def rouge_l(hyp, refs):
    best = None
    for ref in refs:
        s = score(lcs(hyp, ref), len(hyp), len(ref))
        if best is None or s[2] > best[2]:
            best = s
    return best


def sentence(rng, vocabulary, low, high):
    return [rng.choice(vocabulary) for _ in range(rng.randint(low, high))]


def main():
    rng = random.Random(20261202)
    cases = []
    for index in range(24):
        vocabulary = [f"w{i}" for i in range(rng.randint(4, 14))]
        rows = rng.randint(1, 12)
        hypotheses, references = [], []
        for _ in range(rows):
            reference_set = [sentence(rng, vocabulary, 1, 14) for _ in range(rng.randint(1, 3))]
            # Most hypotheses are edited copies of a reference, so that higher orders match too.
            if rng.random() < 0.7:
                hyp = list(rng.choice(reference_set))
                for _ in range(rng.randint(0, 3)):
                    if hyp and rng.random() < 0.5:
                        hyp[rng.randrange(len(hyp))] = rng.choice(vocabulary)
                    else:
                        hyp.insert(rng.randint(0, len(hyp)), rng.choice(vocabulary))
            else:
                hyp = []
            while len(hyp) < 4:
                hyp.append(rng.choice(vocabulary))
            hypotheses.append(hyp)
            references.append(reference_set)
        order = 4 if index % 3 else 2
        smoothing = list(SMOOTHING)[index % 4]
        case = {
            "hypotheses": hypotheses,
            "references": references,
            "max_order": order,
            "smoothing": smoothing,
            "corpus_bleu": corpus_bleu(references, hypotheses, weights(order), SMOOTHING[smoothing]),
            "sentence_bleu": [sentence_bleu(r, h, weights(order), SMOOTHING[smoothing]) for h, r in zip(hypotheses, references)],
            "rouge1": [rouge_n(h, r, 1) for h, r in zip(hypotheses, references)],
            "rouge2": [rouge_n(h, r, 2) for h, r in zip(hypotheses, references)],
            "rougeL": [rouge_l(h, r) for h, r in zip(hypotheses, references)],
        }
        cases.append(case)
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Reference")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "text_metrics.json"), "w") as f:
        json.dump({"cases": cases, "meta": {"nltk": __import__("nltk").__version__}}, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
