"""Frequent itemsets of the four reference data sets (groceries.csv, mushroom.dat,
retail.dat, T10I4D100K.dat) by pyfim (Borgelt's FP-Growth in C)
and mlxtend, the references `baskets::fpgrowth` is checked against (its test
`matches_pyfim_and_mlxtend`).

    pip install pyfim==6.28 mlxtend==0.25.0 pandas && python pyfim_reference.py

The two agree but for one thing: pyfim leaves out an itemset contained in every basket (in
mushroom.dat, item 85 is in all 8,124), which mlxtend reports and a database should. The
script checks that this is the only difference, records it in `pyfim_omits`, and records
the union.

writes pyfim_itemsets.csv: per data set and minimum count, the number of frequent itemsets,
the sum of their counts and an FNV-1a (64-bit) hash of their canonical listing. The listing
has one line per itemset, `item item ...<TAB>count`, the items of a line and the lines
themselves in byte order, each line ending in a newline. groceries.csv is split on commas
only (two item names end in a space); the .dat files on spaces."""

import csv
import pathlib

import fim
import pandas as pd
from mlxtend.frequent_patterns import fpgrowth
from mlxtend.preprocessing import TransactionEncoder

from reference_baskets import read

HERE = pathlib.Path(__file__).parent
CASES = [("groceries.csv", ",", [20, 50, 200]), ("mushroom.dat", " ", [2000, 4000]),
         ("retail.dat", " ", [50, 200]), ("T10I4D100K.dat", " ", [50, 200])]


def fnv1a(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


with open(HERE / "pyfim_itemsets.csv", "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["file", "min_count", "itemsets", "count_sum", "fnv1a64", "pyfim_omits"])
    for name, sep, counts in CASES:
        baskets = read(name, sep)
        encoder = TransactionEncoder()
        table = pd.DataFrame(encoder.fit(baskets).transform(baskets), columns=encoder.columns_)
        for count in counts:
            pyfim = {frozenset(items): n for items, n in
                     fim.fpgrowth(baskets, target="s", supp=-count, zmin=1, report="a")}
            # mlxtend's supports are fractions of the baskets; the counts are whole.
            mlxtend = {items: round(support * len(baskets)) for support, items in
                       fpgrowth(table, min_support=count / len(baskets), use_colnames=True)
                       .itertuples(index=False)}
            mlxtend = {items: n for items, n in mlxtend.items() if n >= count}
            omitted = {items: n for items, n in mlxtend.items() if items not in pyfim}
            assert all(mlxtend.get(items) == n for items, n in pyfim.items()), name
            assert all(n == len(baskets) for n in omitted.values()), (name, omitted)
            found = list(mlxtend.items())
            lines = sorted(
                (" ".join(sorted(items, key=lambda s: s.encode())) + f"\t{n}\n").encode()
                for items, n in found)
            writer.writerow([name, count, len(found), sum(n for _, n in found),
                             f"{fnv1a(b''.join(lines)):016x}", len(omitted)])
