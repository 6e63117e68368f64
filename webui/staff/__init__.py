"""The curators' pages: the dashboard and editing (``curation``), uploads, access
levels, usage statistics. Every route here needs a signed-in curator and CSRF.

May import: ``archive``, ``indexer`` (never ``indexer.cli``), the helpers at the top of
``webui``, ``webui.server`` and ``webui.public`` (views it reuses, such as the search).
"""
