"""The foundation the three stages (crawler, indexer, webui) stand on; it imports none of them.

Configuration and CLI conventions, and what more than one stage reads: the WARC
format and its reader (`warc`, `content_encoding`), the crawl state's schema and
read-only view (`crawl_state`), the refresh lock (`lock`), URL canonicalisation
(`urls`) and what an HTTP response says about its page (`http_response`).
"""
