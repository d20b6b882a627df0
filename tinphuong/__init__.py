"""Pieces shared by the three stages (crawler, indexer, webui): configuration and CLI conventions."""
