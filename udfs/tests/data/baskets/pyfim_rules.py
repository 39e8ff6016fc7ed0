"""Association rules of the four reference data sets (groceries.csv, mushroom.dat,
retail.dat, T10I4D100K.dat) by pyfim (`fim.fpgrowth`,
target 'r', mode 'o': a rule's support is that of antecedent and consequent together) and
mlxtend (`association_rules`), the references `baskets::rules` is checked against (its test
`matches_pyfim_and_mlxtend`).

    pip install pyfim==6.28 mlxtend==0.25.0 pandas && python pyfim_rules.py

Both are run a little below each confidence threshold and their rules are then kept by the
exact comparison count(A ∪ C) / count(A) >= threshold (as fractions), since both compare
floats; pyfim's rules and mlxtend's must then be the same, with the same counts. The rules
have one-item consequents (pyfim's only kind). groceries.csv is split on commas only, the
.dat files on spaces.

writes pyfim_rules.csv: one line per rule and case, the antecedent's items (space-separated,
in byte order), the consequent, the counts of the rule, its antecedent and its consequent
(pyfim's), and mlxtend's eight measures printed with repr (shortest round-trip form)."""

import csv
import warnings
import pathlib
from fractions import Fraction

import fim
import pandas as pd
from mlxtend.frequent_patterns import association_rules, fpgrowth
from mlxtend.preprocessing import TransactionEncoder

from reference_baskets import read

warnings.simplefilter("ignore")  # mlxtend's certainty divides by zero; not used
HERE = pathlib.Path(__file__).parent
CASES = [
    ("groceries.csv", ",", 98, "0.25"),
    ("groceries.csv", ",", 50, "0.1"),
    ("groceries.csv", ",", 20, "0.5"),
    ("mushroom.dat", " ", 4000, "0.8"),
    ("mushroom.dat", " ", 3000, "0.95"),
    ("retail.dat", " ", 500, "0.3"),
    ("T10I4D100K.dat", " ", 500, "0.5"),
]
MEASURES = ["antecedent support", "consequent support", "support", "confidence", "lift",
            "leverage", "conviction", "zhangs_metric"]


def key(items):
    return " ".join(sorted(items, key=lambda s: s.encode()))


with open(HERE / "pyfim_rules.csv", "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["file", "min_count", "min_confidence", "antecedent", "consequent", "count",
                     "antecedent_count", "consequent_count"] + [m.replace(" ", "_") for m in MEASURES])
    for name, sep, count, conf in CASES:
        baskets = read(name, sep)
        n = len(baskets)
        exact = Fraction(conf)
        pyfim = {}
        for head, body, a, b, h in fim.fpgrowth(baskets, target="r", supp=-count, zmin=2,
                                                conf=float(conf) * 100 - 1e-6, report="abh",
                                                mode="o"):
            if Fraction(a, b) >= exact:
                pyfim[(key(body), head)] = (a, b, h)
        encoder = TransactionEncoder()
        table = pd.DataFrame(encoder.fit(baskets).transform(baskets), columns=encoder.columns_)
        itemsets = fpgrowth(table, min_support=count / n, use_colnames=True)
        itemsets = itemsets[(itemsets.support * n).round() >= count]
        rules = association_rules(itemsets, num_itemsets=n, metric="confidence",
                                  min_threshold=float(conf) - 1e-9)
        rules = rules[rules.consequents.map(len) == 1]
        rows = []
        for _, d in rules.iterrows():
            ab, a_, c_ = (round(d[f] * n) for f in ("support", "antecedent support", "consequent support"))
            if Fraction(ab, a_) < exact:
                continue
            ante, (cons,) = key(d.antecedents), tuple(d.consequents)
            assert pyfim.get((ante, cons)) == (ab, a_, c_), (name, ante, cons, pyfim.get((ante, cons)))
            rows.append([name, count, conf, ante, cons, ab, a_, c_] +
                        [repr(float(d[m])) for m in MEASURES])
        assert len(rows) == len(pyfim), (name, count, conf, len(rows), len(pyfim))
        rows.sort(key=lambda row: (row[3].encode(), row[4].encode()))
        writer.writerows(rows)
        print(name, count, conf, len(rows))
