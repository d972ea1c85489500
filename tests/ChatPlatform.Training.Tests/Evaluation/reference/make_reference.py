#!/usr/bin/python3
"""Reference values for the C# evaluation metrics, from an independent Python implementation.

Written from the metrics' definitions (rouge-score's tokenizer and rougeL, NLTK's corpus_bleu / sacrebleu's
BLEU with the 13a tokenizer, scikit-learn's macro averages), with exact fractions where possible. Before
writing anything it checks itself against published numbers: NLTK's corpus_bleu doctest (0.5920...), the mean of
its sentence_bleu doctests (0.6223...) and Papineni et al.'s modified unigram precision of "the the the ..." (2/7).

Needs only the Python standard library and numpy. Run from this folder:

    /usr/bin/python3 make_reference.py   # rewrites metrics_reference.json
"""
import json
import math
import re
from collections import Counter
from fractions import Fraction

import numpy as np


# ---------------------------------------------------------------- ROUGE-L (rouge-score's rougeL, no stemmer)

def rouge_words(text):
    # lower-case; anything outside [a-z0-9] separates words
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            table[i][j] = table[i - 1][j - 1] + 1 if x == y else max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def rouge_l(prediction, reference):
    p, r = rouge_words(prediction), rouge_words(reference)
    if not p or not r:
        return 0.0, 0.0, 0.0
    m = lcs(p, r)
    precision, recall = Fraction(m, len(p)), Fraction(m, len(r))
    f = 2 * precision * recall / (precision + recall) if m else Fraction(0)
    return float(precision), float(recall), float(f)


# ---------------------------------------------------------------- BLEU

def tokenize_13a(line):
    """mteval-v13a as sacrebleu applies it (rstrip, then its language-independent and regexp steps)."""
    line = line.rstrip()
    for old, new in (("<skipped>", ""), ("-\n", ""), ("\n", " "), ("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
        line = line.replace(old, new)
    line = " " + line + " "
    symbols = set(chr(c) for c in range(ord("{"), ord("~") + 1)) | set(chr(c) for c in range(ord("["), ord("`") + 1)) \
        | set(chr(c) for c in range(ord(" "), ord("&") + 1)) | set(chr(c) for c in range(ord("("), ord("+") + 1)) \
        | set(chr(c) for c in range(ord(":"), ord("@") + 1)) | {"/"}
    line = "".join(" " + ch + " " if ch in symbols else ch for ch in line)
    line = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", line)
    line = re.sub(r"([\.,])([^0-9])", r" \1 \2", line)
    line = re.sub(r"([0-9])(-)", r"\1 \2 ", line)
    return line.split()


def ngram_counts(words, n):
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def segment_stats(hypothesis, references):
    matches, totals = [], []
    for n in range(1, 5):
        hyp = ngram_counts(hypothesis, n)
        best = Counter()
        for ref in references:
            best |= ngram_counts(ref, n)          # element-wise max
        matches.append(sum(min(c, best[g]) for g, c in hyp.items()))
        totals.append(sum(hyp.values()))
    closest = min((abs(len(r) - len(hypothesis)), len(r)) for r in references)[1]
    return matches, totals, len(hypothesis), closest


def bleu_from_stats(matches, totals, c, r, add_one=False):
    precisions = []
    for n in range(4):
        m, t = matches[n], totals[n]
        if add_one and n > 0:
            m, t = m + 1, t + 1
        precisions.append(Fraction(m, t) if t else Fraction(0))
    bp = 1.0 if c >= r else (0.0 if c == 0 else math.exp(1 - r / c))
    if any(p == 0 for p in precisions):
        return 0.0, [float(p) for p in precisions], bp
    return bp * math.exp(sum(math.log(p) for p in precisions) / 4), [float(p) for p in precisions], bp


def corpus_bleu(hypotheses, references):
    """hypotheses: list of word lists; references: list of lists of word lists."""
    sums = [[0] * 4, [0] * 4, 0, 0]
    for h, refs in zip(hypotheses, references):
        m, t, c, r = segment_stats(h, refs)
        sums[0] = [a + b for a, b in zip(sums[0], m)]
        sums[1] = [a + b for a, b in zip(sums[1], t)]
        sums[2] += c
        sums[3] += r
    score, precisions, bp = bleu_from_stats(*sums)
    return {"score": score, "precisions": precisions, "brevity_penalty": bp, "matches": sums[0], "totals": sums[1],
            "hypothesis_length": sums[2], "reference_length": sums[3]}


def sentence_bleu(hypothesis, references):
    m, t, c, r = segment_stats(hypothesis, references)
    score, precisions, bp = bleu_from_stats(m, t, c, r, add_one=True)
    return {"score": score, "precisions": precisions, "brevity_penalty": bp}


# ---------------------------------------------------------------- classification (scikit-learn macro, zero_division=0)

def classification(predictions, references):
    labels = sorted(set(predictions) | set(references))
    index = {l: i for i, l in enumerate(labels)}
    confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)   # [true, predicted]
    for p, r in zip(predictions, references):
        confusion[index[r], index[p]] += 1
    tp = np.diag(confusion).astype(float)
    predicted = confusion.sum(axis=0).astype(float)
    actual = confusion.sum(axis=1).astype(float)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros_like(tp), where=(precision + recall) > 0)
    return {
        "accuracy": float(tp.sum() / len(predictions)),
        "macro_precision": float(precision.mean()), "macro_recall": float(recall.mean()), "macro_f1": float(f1.mean()),
        "per_class": {l: {"precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]), "support": int(actual[i])}
                      for l, i in index.items()},
    }


# ---------------------------------------------------------------- self-checks against published values

def self_check():
    hyp1 = "It is a guide to action which ensures that the military always obeys the commands of the party".split()
    ref1a = "It is a guide to action that ensures that the military will forever heed Party commands".split()
    ref1b = "It is the guiding principle which guarantees the military forces always being under the command of the Party".split()
    ref1c = "It is the practical guide for the army always to heed the directions of the party".split()
    hyp2 = "he read the book because he was interested in world history".split()
    ref2a = "he was interested in world history because he read the book".split()
    corpus = corpus_bleu([hyp1, hyp2], [[ref1a, ref1b, ref1c], [ref2a]])["score"]
    assert f"{corpus:.6f}".startswith("0.5920"), corpus                    # NLTK corpus_bleu doctest
    s1 = corpus_bleu([hyp1], [[ref1a, ref1b, ref1c]])["score"]
    s2 = corpus_bleu([hyp2], [[ref2a]])["score"]
    assert f"{s1:.6f}".startswith("0.5045"), s1                            # NLTK sentence_bleu doctest
    assert f"{(s1 + s2) / 2:.6f}".startswith("0.6223"), (s1 + s2) / 2      # NLTK: mean of sentence BLEU
    m, t, _, _ = segment_stats("the the the the the the the".split(),
                               ["the cat is on the mat".split(), "there is a cat on the mat".split()])
    assert (m[0], t[0]) == (2, 7)                                          # Papineni et al. 2002, section 2.1
    return {"corpus": corpus, "sentence_1": s1, "sentence_2": s2}


# ---------------------------------------------------------------- cases

PAIRS = [
    ("You can reset your password from the login page.", "To reset your password, click \"Forgot password\" on the login page."),
    ("Your order #12345 ships tomorrow.", "Order 12345 will ship tomorrow!"),
    ("The refund takes 3-5 business days.", "Refunds usually take 3 to 5 business days."),
    ("Please contact support@contoso.com.", "Contact support@contoso.com, please."),
    ("The price is $1,000.50 per year (excl. VAT).", "It costs $1,000.50 a year, VAT excluded."),
    ("Yes.", "Yes, that is possible."),
    ("I don't know.", "Unfortunately we can't do that."),
    ("Go to Settings > Billing & Plans.", "Open Settings > Billing &amp; Plans."),
    ("", "An answer the model did not give."),
    ("Le café est fermé le lundi.", "Le café ferme le lundi."),
    ("the cat sat on the mat", "the cat is on the mat"),
    ("It's the e-mail address in your profile, not the one on the invoice.", "Use the e-mail address in your profile; the invoice one is ignored."),
]

MULTI_REFERENCE = {
    "hypothesis": "You can cancel the subscription in your account settings.",
    "references": ["Cancel the subscription in the account settings.", "You can cancel your subscription under Settings."],
}

CLASSIFICATION = {
    "predictions": ["billing", "billing", "shipping", "refund", "shipping", "billing", "technical", "refund", "other", "shipping", "billing", "refund"],
    "references":  ["billing", "refund",  "shipping", "refund", "billing",  "billing", "technical", "technical", "refund", "shipping", "billing", "refund"],
}

EXACT_MATCH = [
    ("  Order 12345\nships\ttomorrow. ", "Order 12345 ships tomorrow.", True),
    ("order 12345 ships tomorrow.", "Order 12345 ships tomorrow.", False),
    ("Order 12345 ships tomorrow", "Order 12345 ships tomorrow.", False),
    ("a  b", "a b", True),
    ("", "   ", True),
]


def main():
    published = self_check()
    out = {
        "generator": "make_reference.py (independent Python implementation; see its docstring)",
        "published_checks": published,
        "rouge_l": [],
        "bleu_13a": [],
        "sentence_bleu": [],
    }
    for prediction, reference in PAIRS:
        p, r, f = rouge_l(prediction, reference)
        out["rouge_l"].append({"prediction": prediction, "reference": reference, "words": rouge_words(prediction),
                               "precision": p, "recall": r, "f1": f})
        hyp_words, ref_words = tokenize_13a(prediction), tokenize_13a(reference)
        out["bleu_13a"].append({"text": prediction, "words": hyp_words})
        out["bleu_13a"].append({"text": reference, "words": ref_words})
        out["sentence_bleu"].append({"hypothesis": prediction, "references": [reference], **sentence_bleu(hyp_words, [ref_words])})
    n = len(PAIRS)
    out["rouge_l_mean"] = {k: sum(c[k] for c in out["rouge_l"]) / n for k in ("precision", "recall", "f1")}

    hypotheses = [p for p, _ in PAIRS] + [MULTI_REFERENCE["hypothesis"]]
    references = [[r] for _, r in PAIRS] + [MULTI_REFERENCE["references"]]
    out["corpus_bleu"] = {"hypotheses": hypotheses, "references": references,
                          **corpus_bleu([tokenize_13a(h) for h in hypotheses], [[tokenize_13a(r) for r in refs] for refs in references])}
    out["corpus_bleu_whitespace"] = {**corpus_bleu([h.split() for h in hypotheses], [[r.split() for r in refs] for refs in references])}
    mr = MULTI_REFERENCE
    out["sentence_bleu"].append({"hypothesis": mr["hypothesis"], "references": mr["references"],
                                 **sentence_bleu(tokenize_13a(mr["hypothesis"]), [tokenize_13a(r) for r in mr["references"]])})

    out["classification"] = {**CLASSIFICATION, **classification(CLASSIFICATION["predictions"], CLASSIFICATION["references"])}
    out["exact_match"] = [{"prediction": p, "reference": r, "match": m} for p, r, m in EXACT_MATCH]
    for case in out["exact_match"]:
        assert (" ".join(case["prediction"].split()) == " ".join(case["reference"].split())) == case["match"]

    with open("metrics_reference.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
