"""Matching commands: index, search, recommend, check-plan, duplicates, scale-candidates."""
