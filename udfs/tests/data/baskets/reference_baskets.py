"""The reader both reference scripts share: one basket per line, `sep` between items;
retail.dat and T10I4D100K.dat are kept gzipped, as `<name>.gz`."""

import gzip
import pathlib

HERE = pathlib.Path(__file__).parent


def read(name, sep):
    path = HERE / name
    opened = open(path, encoding="utf-8") if path.exists() else \
        gzip.open(f"{path}.gz", "rt", encoding="utf-8")
    with opened as f:
        return [[x for x in line.rstrip("\n").split(sep) if x != ""] for line in f if line.strip()]
