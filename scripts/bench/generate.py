#!/usr/bin/env python3
"""Generate the synthetic facts-shaped CSV used by the ansinh benchmark.

    python3 scripts/bench/generate.py ROWS OUT.csv [--seed N]

Columns: id,district,province,year,indicator,unit,value

* id         1..ROWS
* district   705 distinct Vietnamese-like names ("Quận 12", "Huyện Tân Hưng 3",
             "Thi xa Ben Cat 41" ...), some with diacritics and some in plain ASCII,
             each belonging to exactly one of 63 provinces ("Hà Nội", "Tỉnh Long An 7" ...)
* year       2010..2025
* indicator  ind_001..ind_120, each with one fixed unit
* unit       VND, people, households or percent
* value      lognormal, rounded to 2 decimals (VND in the millions to billions,
             people/households in the tens to thousands, percent mostly below 100);
             always below 1e12, so at most 14 significant digits.

Deterministic: the default seed is 20240607; the same ROWS and seed give a byte-identical
file (only random.Random(seed) is used: getrandbits(), random(), randrange() and gauss(),
whose sequences CPython keeps stable across releases). Plain Python 3, no third-party
packages. No field needs quoting (no commas, quotes or newlines in any name). UTF-8, LF
line endings, a header row. About 59 bytes a row: 1,000,000 rows are 58 MB and 10,000,000
rows 586 MB. Bump FORMAT_VERSION when a change alters the output: run.py names its cached
data files by it.
"""

import argparse
import math
import os
import random
import sys
import time

FORMAT_VERSION = 1
DEFAULT_SEED = 20240607
N_DISTRICTS = 705
N_PROVINCES = 63
YEARS = list(range(2010, 2026))
N_INDICATORS = 120
UNITS = ["VND", "people", "households", "percent"]
# (mu, sigma) of log(value) per unit
LOGNORMAL = {
    "VND": (math.log(1.0e6), 1.6),
    "people": (math.log(150.0), 1.2),
    "households": (math.log(60.0), 1.1),
    "percent": (math.log(8.0), 0.9),
}
VALUE_CAP = 9.99e11

MUNICIPALITIES = ["Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"]
PROVINCE_BASES = [
    "Long An", "Đồng Tháp", "An Giang", "Tiền Giang", "Bến Tre", "Vĩnh Long", "Trà Vinh",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Kiên Giang", "Hậu Giang", "Tây Ninh", "Bình Dương",
    "Bình Phước", "Đồng Nai", "Bà Rịa Vũng Tàu", "Lâm Đồng", "Đắk Lắk", "Đắk Nông",
    "Gia Lai", "Kon Tum", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Phú Yên", "Bình Định",
    "Quảng Ngãi", "Quảng Nam", "Thừa Thiên Huế", "Quảng Trị", "Quảng Bình", "Hà Tĩnh",
    "Nghệ An", "Thanh Hóa", "Ninh Bình", "Nam Định", "Thái Bình", "Hà Nam", "Hưng Yên",
    "Hải Dương", "Bắc Ninh", "Bắc Giang", "Quảng Ninh", "Lạng Sơn", "Cao Bằng", "Hà Giang",
    "Tuyên Quang", "Thái Nguyên", "Phú Thọ", "Vĩnh Phúc", "Yên Bái", "Lào Cai", "Lai Châu",
    "Điện Biên", "Sơn La", "Hòa Bình", "Bắc Kạn",
]
DISTRICT_BASES = [
    "Tân Hưng", "Ba Vì", "Bến Cát", "Châu Thành", "Phú Lộc", "Thanh Xuân", "Nam Từ Liêm",
    "Hoài Đức", "Cái Bè", "Mỹ Tho", "Đức Hòa", "Cần Giuộc", "Long Thành", "Nhơn Trạch",
    "Thủ Thừa", "Vĩnh Hưng", "Mộc Hóa", "Tân Thạnh", "Đông Anh", "Gia Lâm", "Sóc Sơn",
    "Mê Linh", "Thạch Thất", "Quốc Oai", "Chương Mỹ", "Ứng Hòa", "Mỹ Đức", "Phú Xuyên",
    "Thường Tín", "Đan Phượng", "Lục Ngạn", "Yên Thế", "Hiệp Hòa", "Krông Pắc", "Ea Kar",
    "Buôn Đôn", "Lắk", "Đạ Huoai", "Bảo Lâm", "Di Linh",
]
ASCII_FOLD = str.maketrans({
    **{c: "a" for c in "àáảãạăằắẳẵặâầấẩẫậ"}, **{c: "A" for c in "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"},
    **{c: "e" for c in "èéẻẽẹêềếểễệ"}, **{c: "E" for c in "ÈÉẺẼẸÊỀẾỂỄỆ"},
    **{c: "i" for c in "ìíỉĩị"}, **{c: "I" for c in "ÌÍỈĨỊ"},
    **{c: "o" for c in "òóỏõọôồốổỗộơờớởỡợ"}, **{c: "O" for c in "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"},
    **{c: "u" for c in "ùúủũụưừứửữự"}, **{c: "U" for c in "ÙÚỦŨỤƯỪỨỬỮỰ"},
    **{c: "y" for c in "ỳýỷỹỵ"}, **{c: "Y" for c in "ỲÝỶỸỴ"},
    "đ": "d", "Đ": "D",
})


def province_names():
    """63 names: the 5 centrally-run cities, then the 58 provinces (a few as "Tỉnh <name> <k>")."""
    names = list(MUNICIPALITIES)
    for k, base in enumerate(PROVINCE_BASES):
        if k % 20 == 0:
            names.append(f"Tỉnh {base} {k + 1}")
        elif k % 4 == 3:  # some written without diacritics
            names.append(base.translate(ASCII_FOLD))
        else:
            names.append(base)
    assert len(names) == N_PROVINCES and len(set(names)) == N_PROVINCES
    return names


def district_names(rng):
    """705 distinct names, each with the index of its province."""
    out = []
    # Numbered urban districts of the two big cities: Quận 1..Quận 12 (Hồ Chí Minh) and
    # Quận 13..Quận 24 (Hà Nội); only the trailing digits tell them apart.
    for q in range(1, 13):
        out.append((f"Quận {q}", 1))
    for q in range(13, 25):
        out.append((f"Quận {q}", 0))
    kinds = ["Huyện", "Huyện", "Quận", "Huyện", "Thị xã", "TP"]
    n = len(out)
    while len(out) < N_DISTRICTS:
        n += 1
        kind = kinds[n % len(kinds)]
        if n % 20 == 1:  # a few carry a place name: "Huyện Tân Hưng 31"
            name = f"{kind} {DISTRICT_BASES[(n // 20) % len(DISTRICT_BASES)]} {n}"
        else:
            name = f"{kind} {n}"
        if n % 7 in (2, 5):  # two in seven written without diacritics, as in *_ascii columns
            name = name.translate(ASCII_FOLD)
        # every province gets at least 10 districts, the rest are drawn at random
        province = n % N_PROVINCES if n <= 24 + 10 * N_PROVINCES else rng.randrange(N_PROVINCES)
        out.append((name, province))
    assert len({d for d, _ in out}) == N_DISTRICTS
    return out


def generate(rows, path, seed=DEFAULT_SEED, batch=50_000):
    rng = random.Random(seed)
    provinces = province_names()
    districts = district_names(rng)
    # Precomputed "district,province" prefixes; a mild skew: some districts report more.
    weights = [1.0 + 3.0 * rng.random() ** 4 for _ in districts]
    prefix = [f"{d},{provinces[p]}" for d, p in districts]
    # Cumulative table of 4096 slots for O(1) weighted picks by index.
    total = sum(weights)
    slots = []
    acc = 0.0
    j = 0
    for s in range(4096):
        target = (s + 0.5) / 4096 * total
        while acc + weights[j] < target:
            acc += weights[j]
            j += 1
        slots.append(j)
    ind_units = [UNITS[rng.randrange(len(UNITS))] for _ in range(N_INDICATORS)]
    # "ind_007,VND," etc.
    ind_str = [f"ind_{i + 1:03d},{ind_units[i]}," for i in range(N_INDICATORS)]
    ind_mu = [LOGNORMAL[u][0] for u in ind_units]
    ind_sigma = [LOGNORMAL[u][1] for u in ind_units]
    year_str = [f",{y}," for y in YEARS]
    n_years = len(YEARS)

    getrandbits = rng.getrandbits
    gauss = rng.gauss
    exp = math.exp
    cap = VALUE_CAP
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("id,district,province,year,indicator,unit,value\n")
        start = 1
        while start <= rows:
            end = min(rows, start + batch - 1)
            parts = []
            append = parts.append
            for i in range(start, end + 1):
                r = getrandbits(32)
                d = slots[r & 4095]
                y = (r >> 12) % n_years
                k = (r >> 16) % N_INDICATORS
                v = exp(ind_mu[k] + ind_sigma[k] * gauss(0.0, 1.0))
                if v > cap:
                    v = cap
                append(f"{i},{prefix[d]}{year_str[y]}{ind_str[k]}{v:.2f}\n")
            f.write("".join(parts))
            start = end + 1
    return os.path.getsize(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=int, help="number of data rows")
    ap.add_argument("out", help="output CSV path")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = ap.parse_args(argv)
    if args.rows < 0:
        ap.error("ROWS must be >= 0")
    t0 = time.perf_counter()
    size = generate(args.rows, args.out, args.seed)
    dt = time.perf_counter() - t0
    print(f"{args.out}: {args.rows:,} rows, {size:,} bytes ({size / 1e6:.1f} MB) in {dt:.1f} s, seed {args.seed}")


if __name__ == "__main__":
    sys.exit(main())
