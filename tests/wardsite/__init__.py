"""Generated Vietnamese ward websites whose content evolves day by day, served on 127.0.0.1.

The crawler's tests and benchmarks, and the month-long soak, need ward sites that behave like
the real ones over time, without the network: `WardSite` writes a ward's news from its own word
lists (deterministic for a seed), serves it through a real HTTP server on an ephemeral port,
and changes it one day at a time, recording the ground truth to check a crawl against.

    from tests.wardsite import WardSite, DayPlan, soak_schedule

    with WardSite("aspnet", seed=7, articles=2000) as site:      # or "wordpress"
        config = {"sites": [site.config_entry("phuong-7")], ...}
        ...crawl...                                               # day 0
        day = site.advance()                                      # day 1
        new = day.publish(3)                                      # top of every listing
        old = day.backdate(listing_page=5)                        # the middle of page 5
        day.edit(part="title"); gone = day.delete()               # 404 today, 410 tomorrow
        ...crawl...; site.traffic(1).count, site.traffic(1).min_gap()
        site.advance(DayPlan(publish=2, edit_body=1, event="down"))   # or soak_schedule(seed)[n]
        assert {a.title for a in site.live()} ...                 # ground truth: live(), ever(), ...

Styles. "wordpress": permalinks /YYYY/MM/DD/slug/, /category/x/ and /page/N/ listings, a
sitemap index (/sitemap.xml, lastmod = last edit), an RSS feed (/feed/), rel=canonical, images
and attachments under /wp-content/uploads/YYYY/MM/. "aspnet": tables and __VIEWSTATE,
/Default.aspx?ItemID=123 and ?CatID=3&page=5, no sitemap, no feed, and the date only in the
bold lead ("Ngày 2/5/2021, ..."). Both: robots.txt (Disallow, optional Crawl-delay), a "Tin mới"
sidebar, a stylesheet with a web font and a background image, PNG images, attachments (PDF,
DOC(X), XLS(X); placeholder bytes unless `site.attachment_bytes` is replaced), and every
`duplicate_every`-th article also under an alias URL (same bytes) and a print view (rel=canonical).

Days. `site.advance(plan=None)` starts the next day and returns its `Day`, whose methods act at
once: publish, backdate, edit (title or body), delete, down (connection refused, same port the
next day), unavailable (503 + Retry-After), hang (one page never answers), move (new URL
scheme, 301 from the old URLs), change_theme (same articles and URLs, new HTML).
`site.throttle(count, retry_after, http_date=False)` answers the next requests with 429.
Dates come from a simulated calendar: day d is `start + d` (default 2025-06-02), every change
gets the next 30 s from 07:00 that day; Last-Modified and sitemap lastmod use it too, so a
crawler that compares them with its own clock must be run on the same calendar.

Ground truth: `live()` (listing order), `ever()`, `deleted()`, `edited()`; an `Article` has
`title`, `text`, `date`, `category`, `author`, `versions` (each with the text it had and when),
`created_on`, `deleted_on`, `backdated`; `article_url`, `urls_of`, `listing_url`,
`listing_position`; `traffic(day)` has count, bytes, per_path(), statuses(), min_gap().
`links()` gives today's paths (images, attachments, theme files). A `City(count)` runs many
small sites at once, one port each (both styles in turn).

Scale: pages are rendered per request and article bodies written when first read; a
2,000-article site is built in about 0.35 s and serves a few hundred pages a second.

Inside: `words` and `writer` write the text; `newsroom` changes it day by day (`model` is the
ground truth); `urls`, `pages`, `styles`, `wordpress`, `aspnet`, `feeds` and `assets` decide how
it looks; `routing` answers a URL, `incidents` what goes wrong; `site` ties them to a
`tests.sites.TestSite`; `schedule`, `city` and `traffic` serve the soak and the benchmarks.
"""

from tests.wardsite.city import City
from tests.wardsite.model import Article, Version
from tests.wardsite.schedule import EVENTS, DayPlan, soak_schedule
from tests.wardsite.site import Day, WardSite
from tests.wardsite.traffic import Traffic

__all__ = ["EVENTS", "Article", "City", "Day", "DayPlan", "Traffic", "Version", "WardSite", "soak_schedule"]
