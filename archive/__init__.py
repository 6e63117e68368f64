"""The archive's domain: papers, the library folder that holds them, and configuration.

Nothing here knows about PDFs' insides, the search index or the web; those build on this package.
"""
