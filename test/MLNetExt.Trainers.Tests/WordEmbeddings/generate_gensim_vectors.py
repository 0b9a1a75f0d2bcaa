#!/usr/bin/python3
"""Writes word-vector files with gensim 4.2 into Data/, for the format interoperability tests.
Vectors: word i, component k = float32((i * D + k - 7) / 7.0) (so the C# test recomputes them), D = 5,
words chosen to exercise UTF-8 (multi-byte characters). Run with /usr/bin/python3 (gensim 4.2 is installed there)."""
import os
import numpy as np
from gensim.models import KeyedVectors

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Data")
os.makedirs(here, exist_ok=True)
words = ["the", "café", "naïve", "日本", "x"]
D = 5
vectors = np.array([[(i * D + k - 7) / 7.0 for k in range(D)] for i in range(len(words))], dtype=np.float32)
kv = KeyedVectors(D)
kv.add_vectors(words, vectors)
kv.save_word2vec_format(os.path.join(here, "gensim.bin"), binary=True)
kv.save_word2vec_format(os.path.join(here, "gensim.txt"), binary=False)
