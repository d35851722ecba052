"""The check-plan report as a CSV table: one row per (planned item, matching system)."""
from __future__ import annotations

import csv
import io

COLUMNS = ("input_id", "input_title", "rank", "match_id", "match_title", "match_region", "overlap", "score",
           "estimated_savings", "synthetic", "matched_features", "missing_features")


def check_plan_csv(report: dict) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in report.get("items", []):
        results = item.get("results") or [{}]
        for rank, result in enumerate(results, 1):
            writer.writerow([
                item.get("input_id"), item.get("title"), rank if result else "", result.get("id"),
                result.get("title"), result.get("region"), result.get("overlap"), result.get("score"),
                result.get("estimated_savings"), _flag(result.get("synthetic")),
                "; ".join(f"{pair[0]} = {pair[1]}" for pair in result.get("matched_features") or [] if len(pair) >= 2),
                "; ".join(result.get("missing_features") or []),
            ])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _flag(value) -> str:
    return "" if value is None else ("true" if value else "false")
