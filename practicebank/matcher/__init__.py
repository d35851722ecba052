"""The matching engine on plain records (matcher.records.ProjectRecord): retrieval, functional
overlap, recommendations, families of near-identical systems and practices worth scaling.

Imports neither the catalog nor the web: it is fitted and tested without a database."""
