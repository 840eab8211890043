"""pandas baseline for bench/features-historical.ts (case 1), run with Debian's /usr/bin/python3.

Builds the same entity table and feature view as the TypeScript bench from the same integer
formulas (python3-pyarrow is not available to read the bench's Parquet), then times what a pandas
point-in-time join needs: sorting both sides by time, merge_asof by driver, and (for an answer in
the entity table's order, as Capstan returns it) deduplication and the sort back.

    /usr/bin/python3 bench/features-historical-pandas.py '{"entityRows": 1000000, ...}'

Prints one JSON object.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def view_frame(p):
    i = np.arange(p["viewRows"], dtype=np.int64)
    ts = p["t0Seconds"] + (i * p["viewTimeStep"]) % p["spanSeconds"]
    return pd.DataFrame(
        {
            "driver_id": i % p["drivers"],
            "event_timestamp": pd.to_datetime(ts, unit="s"),
            "created": pd.to_datetime(ts + i % 60, unit="s"),
            "conv_rate": (((i * 31) % 1000) / 1000).astype(np.float32),
            "acc_rate": ((i * 17) % 997) / 997,
            "avg_daily_trips": (i * 13) % 100,
        }
    )


def entity_frame(p):
    j = np.arange(p["entityRows"], dtype=np.int64)
    ts_ms = (p["t0Seconds"] + (j * p["entityTimeStep"] + p["entityTimeOffset"]) % p["spanSeconds"]) * 1000
    return pd.DataFrame(
        {
            "driver_id": (j * p["entityDriverStep"]) % p["drivers"],
            "event_timestamp": pd.to_datetime(ts_ms, unit="ms"),
        }
    )


def run(p):
    view = view_frame(p)
    entities = entity_frame(p)
    entities["__row"] = np.arange(len(entities))

    started = time.perf_counter()
    left = entities.sort_values("event_timestamp", kind="stable")
    right = view.sort_values(["event_timestamp", "created"], kind="stable")
    sort_s = time.perf_counter() - started

    # What Capstan also does: one row per (driver, event time), the latest created winning...
    started = time.perf_counter()
    deduped = right.drop_duplicates(subset=["driver_id", "event_timestamp"], keep="last")
    dedup_s = time.perf_counter() - started

    started = time.perf_counter()
    merged = pd.merge_asof(left, deduped.drop(columns=["created"]), on="event_timestamp", by="driver_id", direction="backward")
    merge_s = time.perf_counter() - started

    # ...and the answer in the entity table's order.
    started = time.perf_counter()
    answer = merged.sort_values("__row", kind="stable")
    restore_s = time.perf_counter() - started

    trips = answer["avg_daily_trips"]
    return {
        "pandas": pd.__version__,
        "sortSeconds": round(sort_s, 3),
        "mergeAsofSeconds": round(merge_s, 3),
        "sortPlusMergeAsofSeconds": round(sort_s + merge_s, 3),
        "dedupSeconds": round(dedup_s, 3),
        "restoreOrderSeconds": round(restore_s, 3),
        "totalLikeCapstanSeconds": round(sort_s + dedup_s + merge_s + restore_s, 3),
        "duplicatesDropped": int(len(right) - len(deduped)),
        "check": {"matched": int(trips.notna().sum()), "tripsSum": int(trips.fillna(0).sum())},
    }


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
