"""Reference predictions of lifetimes 0.11.3 (PyPI) on the CDNOW sample, for
tests/slt/bgnbd_reference.slt.

Fits BG/NBD on cdnow_customers_summary_with_transactions.csv (x, t_x, T in weeks) and
Gamma-Gamma on its customers with x > 0, then writes per customer, with lifetimes' own fitted
parameters:
- lifetimes_params.csv: r, alpha, a, b, p, q, v (one row, full precision);
- lifetimes_predictions.csv: ID, x, t_x, T, zbar, p_alive, expected purchases in the next
  1, 39 and 520 weeks (the last far beyond calibration, where 2F1's argument nears 1), and
  the 12-month CLV at a monthly discount of 0.01 with weeks as the unit (freq='W').

Run: python3 -m venv v && v/bin/pip install lifetimes==0.11.3 && v/bin/python lifetimes_reference.py
"""
import os

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

here = os.path.dirname(os.path.abspath(__file__))
data = pd.read_csv(os.path.join(here, "cdnow_customers_summary_with_transactions.csv"))
x, t_x, age, zbar = data["x"], data["t_x"], data["T"], data["zbar"]

bgnbd = BetaGeoFitter().fit(x, t_x, age)
repeat = data[data["x"] > 0]
gamma_gamma = GammaGammaFitter().fit(repeat["x"], repeat["zbar"])

params = dict(bgnbd.params_) | dict(gamma_gamma.params_)
pd.DataFrame([params]).to_csv(os.path.join(here, "lifetimes_params.csv"), index=False, float_format="%.17g")

out = data[["ID", "x", "t_x", "T", "zbar"]].copy()
out["p_alive"] = bgnbd.conditional_probability_alive(x, t_x, age)
for weeks in (1, 39, 520):
    out[f"expected_{weeks}"] = bgnbd.conditional_expected_number_of_purchases_up_to_time(weeks, x, t_x, age)
out["clv_12"] = gamma_gamma.customer_lifetime_value(
    bgnbd, x, t_x, age, zbar, time=12, discount_rate=0.01, freq="W"
).to_numpy()
assert np.isfinite(out.drop(columns="ID").to_numpy()).all()
out.to_csv(os.path.join(here, "lifetimes_predictions.csv"), index=False, float_format="%.17g")
print(params)
print(out.describe())
