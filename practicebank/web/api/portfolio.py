"""A draft portfolio from an upload, for the API and the /check-plan page.

A ministry's table (.xlsx, .csv) is read by ``catalog.portfolio`` (title rows, merged headers,
Russian or English column names, one region for the whole file); the catalog's own JSON and
JSON Lines go through the record format as before.
"""
from __future__ import annotations

from pathlib import Path

from practicebank.catalog import limits
from practicebank.catalog.portfolio import Issue, Portfolio, PortfolioError, read_portfolio
from practicebank.catalog.regions import RegionNames
from practicebank.web.api.errors import ApiError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def read_upload(upload, region: str | None, regions: list[dict]) -> tuple[list[dict], Portfolio | None]:
    """Planned records from an uploaded file: a ministry's table (.xlsx, .csv) through
    ``catalog.portfolio``, the catalog's own JSON formats as before. Raises ApiError (English
    text; ``details`` carry each Issue for a page)."""
    from practicebank.web.params import parse_upload, valid_records

    if upload is None or not upload.filename:
        raise ApiError(400, "no file: upload a draft portfolio as 'file' (.xlsx, .csv, .json or .jsonl)",
                       code="no_file")
    names = RegionNames(regions)
    suffix = Path(upload.filename).suffix.lower().lstrip(".")
    if suffix not in ("xlsx", "csv"):
        records = valid_records(parse_upload(upload), names.resolve)
        if region:
            code = names.resolve(region)
            if code is None:
                raise ApiError(400, f"unknown region {region!r}", code="unknown_region", params={"region": region})
            records = [{**r, "region": r.get("region") or code} for r in records]
        return records, None
    try:
        portfolio = read_portfolio(upload.stream.read(MAX_UPLOAD_BYTES + 1), suffix, resolve_region=names.resolve,
                                   find_region=names.find_in_text, region=region or None)
    except PortfolioError as error:
        raise ApiError(400, f"cannot read {upload.filename}: {error}", [error.issue.to_dict()], code=error.code,
                       params=error.params, details=[error.issue]) from None
    if portfolio.errors:
        raise ApiError(400, f"{len(portfolio.errors)} problem(s) in the draft portfolio; fix them and upload again",
                       [e.to_dict() for e in portfolio.errors], code="portfolio_errors",
                       params={"count": len(portfolio.errors)}, details=list(portfolio.errors))
    return portfolio.records, portfolio


def check_count(records: list[dict]) -> None:
    if len(records) > limits.MAX_CHECK_PLAN_ROWS:
        params = {"count": len(records), "limit": limits.MAX_CHECK_PLAN_ROWS}
        issue = Issue(None, None, "too_many_projects", "the file lists %(count)s projects; check at most %(limit)s at "
                      "a time (split the file)", params)
        raise ApiError(400, f"the draft portfolio lists {len(records)} projects; check at most "
                            f"{limits.MAX_CHECK_PLAN_ROWS} at a time (split the file)", code="too_many_projects",
                       params=params, details=[issue])
