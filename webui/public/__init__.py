"""What any reader meets: search and results, a paper's page and PDF, its pictures,
downloads and citations, feeds and discovery, the JSON API, and the readers' forms
(request a copy, ask the charity) with the staff's answers to them.

May import: ``archive``, ``indexer`` (never ``indexer.cli``), the helpers at the top of
``webui`` (``auth``, ``context``, ``i18n``, ...) and ``webui.server``. Never
``webui.staff``.
"""
