"""gensim 4.2's analogy accuracy on planted corpora small enough that it is not saturated, the reference of
Word2VecGensimQualityTests.

Run from the repository root with /usr/bin/python3 (gensim from ../shared/anchors/setup.sh). The corpora come from
MLNetExt's own generator (bench: word2vec --write-planted DIR --sentences N, seed 7), so the test regenerates exactly
the same sentences in process. gensim trains with its defaults except vector_size 50 and one worker, once per seed;
writes gensim_quality.json next to this script.
"""
import json
import os
import subprocess
import tempfile

from gensim.models import Word2Vec

CASES = [(2000, 1), (4000, 0)]  # (sentences, sg): skip-gram on 2,000 sentences, CBOW on 4,000
SEEDS = [1, 2, 3, 4, 5]
here = os.path.dirname(os.path.abspath(__file__))

results = []
with tempfile.TemporaryDirectory() as work:
    for sentences, sg in CASES:
        folder = os.path.join(work, f"planted{sentences}")
        subprocess.run(["dotnet", "run", "-c", "Release", "--project", "bench/MLNetExt.Bench", "--", "word2vec",
                        "--write-planted", folder, "--sentences", str(sentences)], check=True, stdout=subprocess.DEVNULL)
        corpus = [line.split() for line in open(os.path.join(folder, "corpus.txt"), encoding="utf-8")]
        accuracies = []
        for seed in SEEDS:
            model = Word2Vec(corpus, vector_size=50, sg=sg, workers=1, seed=seed, epochs=5)
            accuracies.append(round(model.wv.evaluate_word_analogies(os.path.join(folder, "questions.txt"))[0], 4))
        results.append({"sentences": sentences, "sg": sg, "seeds": SEEDS, "accuracies": accuracies})
        print(sentences, sg, accuracies)

with open(os.path.join(here, "gensim_quality.json"), "w") as f:
    json.dump({"generator": "generate_gensim_quality.py", "gensim": "4.2", "cases": results}, f, indent=1)
