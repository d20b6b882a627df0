"""Replay: an archived page shown as it was, from the archive alone, with nothing live and nothing running.

One job, in five small modules, organised the way pywb organises its rewriting
(a URL mapper that knows the page's capture time, one rewriter per content
type, the routes that serve the result), written for a viewer that runs no
archived script at all:

- `archive_urls`: an original URL (resolved against the page's base) to one of
  our routes, carrying the page's capture time; anything that is not http(s)
  (`javascript:`, `vbscript:`, ...) maps to nothing and is removed;
- `html`: the archived HTML with every URL it loads rewritten to the archive
  and everything active removed (scripts, frames, plugins, `<base>`, meta
  refresh, event handlers, form targets, pings, preloads);
- `css`: stylesheets, `<style>` blocks and `style` attributes, through the CSS
  tokenizer of `tinphuong.css_urls`;
- `lookup`: which archived record answers a URL at a time (the capture nearest
  at or before it, else the nearest after; revisits and redirects followed),
  read through the crawl state and the WARC reader;
- `routes`: `/archive/resource` (embedded bytes) and `/archive/link` (a click
  on a link: the archived article, a downloaded attachment, or a page that says
  the target was not archived).
"""
