"""Draft portfolios as ministries write them: a strategy appendix in XLSX or CSV.

    >>> portfolio = read_portfolio(data, "xlsx", resolve_region=resolver)   # doctest: +SKIP
    >>> portfolio.records          # planned projects in the catalog's record format
    >>> portfolio.errors           # Issue(row, column, code, template, params): what to fix

``catalog.portfolio.vocabulary`` holds every spelling the reader knows (column names,
industries, statuses, funding sources) in one place; ``catalog.portfolio.values`` turns single
cells into values; ``catalog.portfolio.template`` writes the downloadable template.
"""
from practicebank.catalog.portfolio.reader import Issue, Portfolio, PortfolioError, column_field, read_portfolio

__all__ = ["Issue", "Portfolio", "PortfolioError", "column_field", "read_portfolio"]
