"""Fetching ward websites politely and archiving every response in WARC files."""
