"""The search engine: reading what a person typed (``query_language``, ``thesaurus``),
evaluating it over the index as arrays (``ranking``), the public's view of it
(``access_filter``), and what a search answers: results and pages (``search``), snippets,
facets, did-you-mean (``suggestions``) and related papers. The index itself (schema, analyzers,
writing) is :mod:`indexer.index` and :mod:`indexer.schema`, shared with importing."""
