"""The Python baseline of bench/monitoring-drift.ts: Evidently's default data-drift computation for
every column of a reference/current pair, with scipy doing the statistics, timed on the same data
the TypeScript benchmark just scored.

What it computes, per column, is what Evidently 0.4-0.6 does before and for its default test on a
numerical column with more than 1000 reference rows (Evidently itself is not installed here; its
steps are restated):

  1. column type      utils/data_preprocessing.py _get_column_type: the dtype of each side and
                      reference.nunique() and current.nunique() (called for every column);
  2. cleaning         calculations/data_drift.py get_one_column_drift: replace([-inf, inf], nan)
                      .dropna() on each side, then is_numeric_dtype on each;
  3. test choice      calculations/stattests/registry.py _get_default_stattest:
                      pd.concat([reference, current]).nunique() (twice, as Evidently's code does
                      for a numerical column over 1000 rows) -> wasserstein when > 5 values;
  4. the test         calculations/stattests/wasserstein_distance_norm.py:
                      norm = max(np.std(reference), 0.001)
                      score = scipy.stats.wasserstein_distance(reference, current) / norm
                      drift when score >= 0.1.

With pandas (Debian's python3-pandas) these run on pd.Series exactly as Evidently calls them;
without it the same steps run on numpy arrays (nunique as np.unique(...).size over the non-NaN
values). Evidently's report also builds histograms, correlations and plot data per column; none of
that is timed here, so this is a lower bound of what Evidently spends.

Input (written by the benchmark into a temporary folder given as the only argument):
  meta.json        {"rows": R, "columns": [{"name": ..., "integer": bool}, ...]}
  reference.f64    the reference columns one after another, R little-endian float64 values each,
  current.f64      NaN where a cell is missing; "integer" columns become int64 (pandas' dtype).

Output: one JSON document on stdout with the versions, the timings and every column's score.

Run: /usr/bin/python3 scripts/bench/drift_scipy.py FOLDER
"""

import json
import platform
import resource
import sys
import time

import numpy as np
import scipy
from scipy import stats

try:
    import pandas as pd
except ImportError:  # Evidently needs pandas; without it the numpy path below stands in
    pd = None

NUMBER_UNIQUE_AS_CATEGORICAL = 5
THRESHOLD = 0.1


def load(folder, name, rows, count):
    values = np.fromfile(f"{folder}/{name}.f64", dtype="<f8")
    if values.size != rows * count:
        raise SystemExit(f"{name}.f64 holds {values.size} values, expected {rows * count}")
    return values.reshape(count, rows)


def as_column(values, integer):
    # pandas reads a JSON column of whole numbers without gaps as int64, anything else as float64.
    if integer:
        values = values.astype(np.int64)
    return pd.Series(values) if pd is not None else values


def nunique(values):
    if pd is not None:
        return values.nunique()
    values = values[~np.isnan(values)] if values.dtype.kind == "f" else values
    return np.unique(values).size


def is_integer_dtype(values):
    return values.dtype.kind in "iu"


def clean(values):
    if pd is not None:
        return values.replace([-np.inf, np.inf], np.nan).dropna()
    return values[np.isfinite(values)] if values.dtype.kind == "f" else values


def concat(reference, current):
    if pd is not None:
        return pd.concat([reference, current])
    return np.concatenate([reference, current])


def inspect(reference, current):
    """Steps 1-3: type, cleaning and the default test choice. Returns the cleaned sides."""
    reference_unique = nunique(reference)
    current_unique = nunique(current)
    column_type = "num"
    if is_integer_dtype(reference) and (reference_unique or current_unique) <= NUMBER_UNIQUE_AS_CATEGORICAL:
        column_type = "cat"
    reference = clean(reference)
    current = clean(current)
    if reference.size == 0 or current.size == 0:
        raise SystemExit("an empty column")
    if column_type != "num":
        raise SystemExit("the benchmark's columns are all numerical")
    n_values = nunique(concat(reference, current))
    if reference.shape[0] > 1000:
        n_values = nunique(concat(reference, current))
    if n_values <= NUMBER_UNIQUE_AS_CATEGORICAL:
        raise SystemExit("the benchmark's columns all have more than 5 values")
    return reference, current


def wasserstein_norm(reference, current):
    """Step 4, Evidently's _wasserstein_distance_norm."""
    norm = max(np.std(reference), 0.001)
    score = stats.wasserstein_distance(reference, current) / norm
    return float(score), bool(score >= THRESHOLD)


def main():
    folder = sys.argv[1]
    with open(f"{folder}/meta.json") as f:
        meta = json.load(f)
    rows = meta["rows"]
    columns = meta["columns"]

    started = time.perf_counter()
    reference_block = load(folder, "reference", rows, len(columns))
    current_block = load(folder, "current", rows, len(columns))
    loaded = time.perf_counter()
    reference = {c["name"]: as_column(reference_block[i], c["integer"]) for i, c in enumerate(columns)}
    current = {c["name"]: as_column(current_block[i], c["integer"]) for i, c in enumerate(columns)}
    framed = time.perf_counter()

    inspect_seconds = 0.0
    test_seconds = 0.0
    results = []
    for column in columns:
        name = column["name"]
        t0 = time.perf_counter()
        ref, cur = inspect(reference[name], current[name])
        t1 = time.perf_counter()
        score, drifted = wasserstein_norm(ref, cur)
        t2 = time.perf_counter()
        inspect_seconds += t1 - t0
        test_seconds += t2 - t1
        results.append({"column": name, "stattest": "wasserstein", "score": score, "drifted": drifted})

    json.dump(
        {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pd.__version__ if pd is not None else None,
            "seconds": {
                "load": loaded - started,
                "build_columns": framed - loaded,
                "inspect": inspect_seconds,
                "test": test_seconds,
                "columns_total": inspect_seconds + test_seconds,
            },
            # ru_maxrss is in KiB on Linux.
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "columns": results,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
