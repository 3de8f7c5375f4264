#!/usr/bin/env python3
"""Reference values for rnn4j's forecast statistics (org.rnn4j.zoo.stats), computed independently
of the Java code: pure Python 3 standard library, float64.

Regenerate the test resource with (from the repository root):

    python3 zoo/scripts/forecast_stats_reference.py \
        > zoo/src/test/resources/org/rnn4j/zoo/stats/forecast-stats-reference.json

What is independent of the Java implementation:
* Student's t: the finite series of Abramowitz and Stegun 26.7.3 (odd df) and 26.7.4 (even df),
  exact for integer degrees of freedom; the Java code uses the continued fraction of the
  regularized incomplete beta function instead.
* Diebold-Mariano, Harvey-Leybourne-Newbold and the long-run variance: written out from the
  papers' formulas (DM 1995 eq. (8)/(9), HLN 1997 eq. (9)), with the same documented fallback
  (Bartlett weights when the rectangular estimate is not positive).
* The circular block bootstrap: the same algorithm and generator (SplitMix64) as documented in
  BlockBootstrap's Javadoc, re-implemented with Python integers, so the interval must match exactly.
The inputs are made here by a seeded generator and stored in the JSON with full precision.
"""
import json
import math

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_long(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_int(self, bound):
        return self.next_long() % bound

    def uniform(self):
        return (self.next_long() >> 11) / float(1 << 53)

    def normal(self):
        # Box-Muller; only used to make inputs, which are stored in full.
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def t_two_sided_p(t, df):
    """P(|T| >= |t|) for integer df >= 1 by Abramowitz & Stegun 26.7.3 / 26.7.4."""
    if math.isinf(t):
        return 0.0
    theta = math.atan(abs(t) / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    if df % 2 == 1:
        total = 0.0
        if df > 1:
            term = c
            total = term
            k = 3
            while k <= df - 2:
                term *= (k - 1) / k * c * c
                total += term
                k += 2
        a = 2.0 / math.pi * (theta + s * total)
    else:
        term = 1.0
        total = term
        k = 2
        while k <= df - 2:
            term *= (k - 1) / k * c * c
            total += term
            k += 2
        a = s * total
    return 1.0 - a


def t_cdf(t, df):
    p = t_two_sided_p(t, df)
    return 1.0 - p / 2.0 if t >= 0 else p / 2.0


def autocov(d, k):
    n = len(d)
    m = sum(d) / n
    return sum((d[t] - m) * (d[t - k] - m) for t in range(k, n)) / n


def long_run_variance(d, h):
    g = [autocov(d, k) for k in range(h)]
    rect = g[0] + 2.0 * sum(g[1:])
    if rect > 0:
        return rect, "rectangular"
    bart = g[0] + 2.0 * sum((1.0 - k / h) * g[k] for k in range(1, h))
    return max(0.0, bart), "bartlett"


def loss(e, kind):
    return e * e if kind == "squared" else abs(e)


def diebold_mariano(a, b, h, kind):
    n = len(a)
    d = [loss(x, kind) - loss(y, kind) for x, y in zip(a, b)]
    mean = sum(d) / n
    v, kernel = long_run_variance(d, h)
    factor = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    if v > 0:
        dm = mean / math.sqrt(v / n)
        p = t_two_sided_p(dm * factor, n - 1)
    elif mean == 0:
        dm, p = 0.0, 1.0
    else:
        dm, p = math.copysign(math.inf, mean), 0.0
    return {"meanDifference": mean, "variance": v, "kernel": kernel, "statistic": dm,
            "hlnStatistic": dm * factor, "pValue": p, "hlnFactor": factor}


def block_length(n, h):
    cube = 1
    while cube ** 3 < n:
        cube += 1
    return min(n, max(h, cube))


def bootstrap_theils_u(a, b, h, alpha, resamples, seed):
    n = len(a)
    block = block_length(n, h)
    blocks = (n + block - 1) // block
    rng = SplitMix64(seed)
    us = []
    for _ in range(resamples):
        sa = sb = 0.0
        filled = 0
        for _ in range(blocks):
            start = rng.next_int(n)
            j = 0
            while j < block and filled < n:
                i = (start + j) % n
                sa += a[i] * a[i]
                sb += b[i] * b[i]
                j += 1
                filled += 1
        us.append(math.sqrt(sa / sb))
    us.sort()
    half = alpha / 2

    def order(q):
        k = math.ceil(resamples * q) - 1
        return max(0, min(resamples - 1, k))

    return {"lower": us[order(half)], "upper": us[order(1 - half)], "blockLength": block}


def errors(seed, n, scale_a, scale_b, shared, ma=0.0):
    """Paired errors: a shared component plus each forecast's own noise, optionally MA(1)."""
    rng = SplitMix64(seed)
    a, b = [], []
    prev_a = prev_b = 0.0
    for _ in range(n):
        common = rng.normal() * shared
        ea = rng.normal() * scale_a
        eb = rng.normal() * scale_b
        a.append(common + ea + ma * prev_a)
        b.append(common + eb + ma * prev_b)
        prev_a, prev_b = ea, eb
    return a, b


def main():
    t_cases = []
    for df in (1, 2, 3, 4, 5, 10, 29, 100, 765):
        for t in (-3.0, -1.3, -0.5, 0.0, 0.7, 1.96, 2.5, 4.0):
            t_cases.append({"t": t, "df": df, "cdf": t_cdf(t, df), "twoSidedP": t_two_sided_p(t, df)})

    dm_cases = []
    specs = [
        # name, seed, n, scale_a, scale_b, shared, ma, horizon, loss
        ("equal-accuracy-h1", 1, 40, 1.0, 1.0, 0.5, 0.0, 1, "squared"),
        ("model-better-h1", 2, 60, 0.6, 1.0, 0.3, 0.0, 1, "squared"),
        ("model-better-h1-absolute", 2, 60, 0.6, 1.0, 0.3, 0.0, 1, "absolute"),
        ("ma1-h2", 3, 50, 1.0, 1.2, 0.2, 0.8, 2, "squared"),
        ("h3-absolute", 4, 80, 1.1, 1.0, 0.4, 0.5, 3, "absolute"),
        ("long-h1", 5, 766, 1.0, 1.0, 2.0, 0.0, 1, "squared"),
        ("h5", 6, 200, 0.9, 1.0, 0.5, 0.9, 5, "squared"),
    ]
    for name, seed, n, sa, sb, sh, ma, h, kind in specs:
        a, b = errors(seed, n, sa, sb, sh, ma)
        dm_cases.append({"name": name, "horizon": h, "loss": kind, "model": a, "baseline": b,
                         "expected": diebold_mariano(a, b, h, kind)})
    # Loss differentials that alternate in sign: the rectangular estimate for h = 2 is negative.
    a = [2.0 if t % 2 == 0 else 0.5 for t in range(30)]
    b = [1.0] * 30
    a[7] = 1.7
    dm_cases.append({"name": "alternating-h2-bartlett", "horizon": 2, "loss": "squared", "model": a,
                     "baseline": b, "expected": diebold_mariano(a, b, 2, "squared")})

    boot_cases = []
    for name, seed, n, sa, sb, sh, ma, h, alpha, resamples, bseed in [
        ("n40-h1", 11, 40, 0.8, 1.0, 0.5, 0.0, 1, 0.05, 500, 42),
        ("n101-h3", 12, 101, 1.0, 1.0, 0.3, 0.7, 3, 0.10, 300, 7),
        ("n766-h1", 13, 766, 1.0, 1.0, 3.0, 0.0, 1, 0.05, 200, 42),
    ]:
        a, b = errors(seed, n, sa, sb, sh, ma)
        r = bootstrap_theils_u(a, b, h, alpha, resamples, bseed)
        boot_cases.append({"name": name, "horizon": h, "alpha": alpha, "resamples": resamples, "seed": bseed,
                           "model": a, "baseline": b, "expected": r})

    print(json.dumps({
        "generator": "zoo/scripts/forecast_stats_reference.py",
        "studentT": t_cases,
        "dieboldMariano": dm_cases,
        "bootstrap": boot_cases,
        "blockLengths": [{"n": n, "horizon": h, "blockLength": block_length(n, h)}
                         for n, h in [(1, 1), (8, 1), (9, 1), (27, 1), (28, 1), (766, 1), (766, 12), (5, 9)]],
    }, indent=1))


if __name__ == "__main__":
    main()
