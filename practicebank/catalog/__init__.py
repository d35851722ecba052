"""The catalog: the data model, record validation, files, accounts and the curation workflow.

Knows nothing of the matcher or the web; the database is the truth the indexes are built from."""
