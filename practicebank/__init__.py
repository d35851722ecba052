"""Practice Bank: a catalog of regional state information systems and the engine that finds
the proven ones to reuse. Layers, top to bottom: ``web`` and ``cli`` -> ``web.services`` ->
``matcher`` and ``catalog`` (see docs/architecture.md)."""
