#!/usr/bin/env bash
# Side-by-side word2vec training throughput: gensim 4.2 (shared/anchors/word2vec.py) against MLNetExt's
# Word2VecTrainer, on the identical corpus (the anchor's seeded Zipf(1) draws over 30,000 words, written to a file
# once and passed to both with --file), same settings, same run, for sg 0/1 × workers 1/2; ratio = ours / gensim.
# Then analogy accuracy (3CosAdd) of both on the planted analogy corpus, and GloVe counting + training time.
# usage: bench/compare-word2vec.sh   TOKENS=2000000 EPOCHS=1 override the corpus size and epochs;
# WORD2VEC_ANCHOR overrides the anchor script's path. CORPUS=gcide trains both on real text instead: the 5.4 million
# words of Debian's dict-gcide (Webster's 1913 and WordNet glosses; `apt-get install dict-gcide`), lower-cased, letters
# only, one dictionary line per sentence, with its larger vocabulary and less regular word frequencies; CORPUS=<file>
# takes any whitespace-separated text file.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
anchor=${WORD2VEC_ANCHOR:-$root/../shared/anchors/word2vec.py}
tokens=${TOKENS:-2000000}
epochs=${EPOCHS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release "$root/bench/MLNetExt.Bench" --nologo -v quiet >/dev/null
bench="$root/bench/MLNetExt.Bench/bin/Release/net10.0/MLNetExt.Bench.dll"

case "${CORPUS:-}" in
  "") ;;
  gcide)
    dict=/usr/share/dictd/gcide.dict.dz
    [[ -f $dict ]] || { echo "CORPUS=gcide needs Debian's dict-gcide: apt-get install dict-gcide" >&2; exit 1; }
    zcat "$dict" | tr 'A-Z' 'a-z' | tr -cs 'a-z\n' ' ' | grep -v '^ *$' >"$work/zipf.txt" ;;
  *) cp "$CORPUS" "$work/zipf.txt" ;;
esac
[[ -n ${CORPUS:-} ]] && echo "corpus: ${CORPUS} ($(wc -w <"$work/zipf.txt") words, $(wc -l <"$work/zipf.txt") lines)"
[[ -n ${CORPUS:-} ]] || /usr/bin/python3 - "$tokens" "$work/zipf.txt" <<'PY'
import sys
import numpy as np
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0); V = 30000
pr = 1.0 / np.arange(1, V + 1); pr /= pr.sum()
toks = rng.choice(V, size=n, p=pr)
with open(path, "w") as f:
    for i in range(0, n, 1000):
        f.write(" ".join(f"w{t}" for t in toks[i:i + 1000]) + "\n")
PY

rate() { sed -n 's/.*words_per_s=\([0-9]*\).*/\1/p'; }
printf '%-4s %-8s %12s %12s %7s\n' sg workers gensim mlnetext ratio
for sg in 0 1; do
  for w in 1 2; do
    ref=$(/usr/bin/python3 "$anchor" --file "$work/zipf.txt" --workers "$w" --sg "$sg" --epochs "$epochs" 2>/dev/null | rate)
    ours=$(dotnet "$bench" word2vec --file "$work/zipf.txt" --workers "$w" --sg "$sg" --epochs "$epochs" | rate)
    printf '%-4s %-8s %12s %12s %7s\n' "$sg" "$w" "$ref" "$ours" "$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')"
  done
done

dotnet "$bench" word2vec --write-planted "$work/planted" >/dev/null
echo "analogy accuracy (3CosAdd) on the planted corpus, 5 epochs, 1 worker, vector size 50:"
for sg in 0 1; do
  ref=$(/usr/bin/python3 - "$work/planted" "$sg" <<'PY'
import sys
from gensim.models import Word2Vec
d, sg = sys.argv[1], int(sys.argv[2])
sents = [l.split() for l in open(f"{d}/corpus.txt", encoding="utf-8")]
m = Word2Vec(sents, vector_size=50, sg=sg, workers=1, seed=1, epochs=5)
print(f"{m.wv.evaluate_word_analogies(f'{d}/questions.txt')[0]:.4f}")
PY
)
  ours=$(dotnet "$bench" word2vec --file "$work/planted/corpus.txt" --questions "$work/planted/questions.txt" --workers 1 --sg "$sg" --epochs 5 --dim 50 | sed -n 's/.*accuracy=\([0-9.]*\).*/\1/p')
  echo "  sg=$sg gensim=$ref mlnetext=$ours"
done

echo "GloVe (counting + 5 epochs of training) on the same Zipf corpus:"
for w in 1 2; do dotnet "$bench" glove --file "$work/zipf.txt" --workers "$w" --epochs 5; done
