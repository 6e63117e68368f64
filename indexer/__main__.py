"""``python -m indexer`` is the ``archive`` command."""

from indexer.cli.main import main

main()
