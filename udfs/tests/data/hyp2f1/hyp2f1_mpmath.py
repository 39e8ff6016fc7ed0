"""Reference values of the Gauss hypergeometric function for custlake's hyp2f1 (unit test
models::special::tests::hyp2f1_matches_mpmath_over_the_bgnbd_range).

Draws 400 BG/NBD cases — 2F1(r + x, b + x; a + b + x - 1; z), the function in the conditional
expectation, with r, a, b log-uniform over 0.05 to 20, x in 0 to 1,000 repeat purchases and z
from 1e-4 up to 1 - 1e-9 — and evaluates ln|2F1| and its sign with mpmath at 50 digits. Seeded,
so the file is reproducible: python3 hyp2f1_mpmath.py > hyp2f1_mpmath.csv (needs mpmath).
"""
import math
import random

import mpmath as mp

mp.mp.dps = 50
rng = random.Random(20261123)
print("a,b,c,z,ln_abs,sign")
for _ in range(400):
    r, a, b = (math.exp(rng.uniform(math.log(0.05), math.log(20))) for _ in range(3))
    x = rng.choice([0, 0, 1, 2, 3, 5, 10, 30, 100, 1000])
    z = 1 - 10 ** rng.uniform(-9, 0) if rng.random() < 0.5 else rng.uniform(1e-4, 0.75)
    A, B, C = r + x, b + x, a + b + x - 1
    if C <= 0 and C == round(C):
        continue
    value = mp.hyp2f1(A, B, C, z)
    print(f"{A!r},{B!r},{C!r},{z!r},{mp.nstr(mp.log(abs(value)), 20)},{1 if value > 0 else -1}")
