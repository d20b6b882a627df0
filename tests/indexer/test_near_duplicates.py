"""Near-duplicates: one article published by several wards is one search result that lists its copies.

Through the real pipeline (WARC files, extraction, a Whoosh index on disk) and the searcher;
the cluster every copy stores must not depend on the order pages were indexed in, and a
writer killed between its two commits must leave work the next writer finishes.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.analysis.near_duplicates import (
    MIN_SHINGLES,
    SAME_TEXT,
    THRESHOLD,
    are_copies,
    band_keys,
    copies_among,
    fingerprint,
    shingles,
    signatures_agree,
    similarity,
)
from indexer.document import Document
from indexer.extract import Extracted
from indexer.generations import live_generation
from indexer.search import Searcher, SearchRequest
from indexer.writing import clusters as clusters_module
from indexer.writing.analysis_ahead import analyse_ahead
from indexer.writing.clusters import components, pending_clusters
from indexer.writing.pipeline import rebuild_index, update_index
from indexer.writing.writer import BATCH_SIZE, CLUSTERS_PENDING, new_generation, open_writer
from tests.indexer.writers import recorded_forks
from tests.warc_builder import WarcArchive, page, ward_article
from tinphuong.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = [
    "Ủy ban nhân dân Quận 1 vừa ban hành Kế hoạch số 125/KH-UBND về tổng vệ sinh môi trường, phòng chống "
    "dịch bệnh mùa mưa năm 2024 trên địa bàn 10 phường, với cao điểm từ ngày 1 đến ngày 30 tháng 6.",
    "Theo kế hoạch, mỗi phường tổ chức ít nhất hai đợt ra quân, huy động đoàn viên, hội viên các đoàn thể "
    "và người dân khơi thông cống rãnh, thu gom rác thải, phát quang bụi rậm tại các khu đất trống, chung "
    "cư cũ và dọc các tuyến kênh Nhiêu Lộc - Thị Nghè, Bến Nghé.",
    "Trung tâm Y tế quận phối hợp với trạm y tế các phường giám sát chặt chẽ các ổ dịch sốt xuất huyết, tay "
    "chân miệng; phun hóa chất diệt muỗi tại các điểm nguy cơ cao và hướng dẫn người dân diệt lăng quăng "
    "trong các vật dụng chứa nước ít nhất mỗi tuần một lần.",
    "Ủy ban nhân dân quận yêu cầu chủ tịch ủy ban nhân dân các phường chịu trách nhiệm trước quận về kết quả "
    "thực hiện, báo cáo tiến độ về Phòng Tài nguyên và Môi trường trước ngày 5 hằng tháng.",
]
SAME_TOPIC = [
    "Sáng Chủ nhật, hơn 200 đoàn viên thanh niên phường Tân Định ra quân dọn dẹp vệ sinh dọc bờ kênh "
    "Nhiêu Lộc - Thị Nghè, hưởng ứng kế hoạch tổng vệ sinh môi trường mùa mưa của quận.",
    "Các bạn trẻ chia thành 6 nhóm, vớt rác trên mặt kênh, nhặt túi ni lông, chai nhựa mắc trên bờ kè và "
    "nhắc nhở người đi đường không xả rác xuống kênh. Sau 3 giờ, lực lượng thu gom khoảng 1,5 tấn rác.",
    "Bí thư Đoàn phường cho biết hoạt động sẽ được duy trì vào Chủ nhật cuối mỗi tháng, kết hợp tuyên "
    "truyền phòng chống sốt xuất huyết và phân loại rác tại nguồn cho các hộ dân ven kênh.",
]
TITLE = "Quận 1 ban hành kế hoạch tổng vệ sinh môi trường, phòng chống dịch bệnh mùa mưa năm 2024"
SITES = {"ben-nghe": "https://bennghe.example.gov.vn", "da-kao": "https://dakao.example.gov.vn",
         "tan-dinh": "https://tandinh.example.gov.vn"}


@pytest.fixture
def config(tmp_path: Path):
    entries = "".join(f'\n[[sites]]\nname = "{name}"\ntitle = "Phường {name}"\nstart_urls = ["{base}/"]\n'
                      for name, base in SITES.items())
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\nindex_dir = "index"\narchive_dir = "archive"\n{entries}', encoding="utf-8")
    return load_config(path)


def ward_copy(site: str, intro: str, title: str = TITLE) -> str:
    """The district's article as a ward republishes it: its own chrome, intro line and signature."""
    return ward_article(title, [intro, *DISTRICT], site=f"Phường {site}", category="Tin quận",
                        byline=f"Ban biên tập phường {site}", date_line="Ngày đăng: 28/05/2024")


def archive_wards(config, pages: dict[tuple[str, str], str]) -> None:
    WarcArchive(config.storage.archive_dir).write(
        [page(f"{SITES[site]}/tin-tuc/{slug}.html", html, site=site) for (site, slug), html in pages.items()])


def search(searcher: Searcher, **params: str) -> dict:
    return searcher.search(SearchRequest.from_params(params)).to_dict()


def test_two_wards_publishing_one_article_are_one_result_listing_the_other(config):
    archive_wards(config, {
        ("ben-nghe", "ke-hoach-tong-ve-sinh"): ward_copy("Bến Nghé", "Phường triển khai đến các khu phố."),
        ("da-kao", "quan-1-ban-hanh-ke-hoach"): ward_copy("Đa Kao", "(ĐK) - Thông tin từ Ủy ban quận."),
        ("tan-dinh", "ra-quan-ve-sinh-kenh"): ward_article("Đoàn viên phường Tân Định ra quân vệ sinh kênh",
                                                           SAME_TOPIC, site="Phường Tân Định"),
    })
    update_index(config)
    searcher = Searcher(config.storage.index_dir)
    found = search(searcher, q="kế hoạch tổng vệ sinh môi trường")
    sites = [r["site"] for r in found["results"]]
    assert found["total"] == len(found["results"]) == 2          # the article once, the other article once
    assert sorted(sites) in (["ben-nghe", "tan-dinh"], ["da-kao", "tan-dinh"])
    shown = searcher.document(next(r["id"] for r in found["results"] if r["site"] != "tan-dinh"))
    copies = searcher.copies(shown)
    assert [c.site for c in copies] == [s for s in ("ben-nghe", "da-kao") if s != shown.site]
    assert copies[0].title == TITLE and copies[0].url.startswith(SITES[copies[0].site])
    other = searcher.document(next(r["id"] for r in found["results"] if r["site"] == "tan-dinh"))
    assert searcher.copies(other) == []
    by_date = search(searcher, q="tổng vệ sinh", sort="newest")
    assert by_date["total"] == len(by_date["results"]) == 2
    for site in ("ben-nghe", "da-kao"):                        # each ward's own copy when filtering by site
        results = search(searcher, q="kế hoạch tổng vệ sinh", site=site)["results"]
        assert [r["site"] for r in results] == [site]


def test_genuinely_different_articles_and_a_template_series_stay_apart():
    district = fingerprint(TITLE, "\n\n".join(DISTRICT))
    assert not are_copies(district, fingerprint("Ra quân vệ sinh kênh", "\n\n".join(SAME_TOPIC)))
    copy = fingerprint(TITLE, "\n\n".join(["Phường Đa Kao thông tin đến người dân.", *DISTRICT]))
    assert are_copies(district, copy) and set(band_keys(district.shingles)) & set(band_keys(copy.shingles))
    notice = ("Chủ tịch Ủy ban nhân dân phường tiếp công dân định kỳ vào các ngày thứ Năm {d} tại "
              "phòng tiếp công dân, trụ sở Ủy ban nhân dân phường, số 6 Nguyễn Hữu Cầu. Công dân mang theo "
              "căn cước công dân và giấy tờ liên quan đến nội dung khiếu nại, tố cáo, kiến nghị, phản ánh. "
              "Trường hợp bận công tác đột xuất, Phó Chủ tịch được ủy quyền tiếp công dân thay.")
    november = fingerprint("Lịch tiếp công dân tháng 11/2023", notice.format(d="2/11 và 16/11"))
    december = fingerprint("Lịch tiếp công dân tháng 12/2023", notice.format(d="7/12 và 21/12"))
    assert not are_copies(november, december)
    body = "\n\n".join(DISTRICT)
    food = body.replace("tổng vệ sinh môi trường, phòng chống dịch bệnh mùa mưa",
                        "tháng hành động vì an toàn thực phẩm").replace("sốt xuất huyết, tay chân miệng",
                                                                        "ngộ độc thực phẩm")
    other_subject = fingerprint("Quận 1 triển khai tháng hành động vì an toàn thực phẩm", food)
    assert 0.7 <= similarity(fingerprint(TITLE, body).shingles, other_subject.shingles) < 0.9
    assert not are_copies(fingerprint(TITLE, body), other_subject)        # one template, two subjects
    retitled = fingerprint("Các phường ra quân làm sạch kênh rạch", body)
    assert are_copies(fingerprint(TITLE, body), retitled)                 # the same text under a new title


def test_fingerprints_fold_spelling_and_are_the_same_in_every_process():
    text = "\n\n".join(DISTRICT)
    variant = text.replace("Ủy ban", "Uỷ ban").replace("Đ", "D")
    assert (shingles(text) == shingles(unicodedata.normalize("NFD", variant))).all()
    script = ("from indexer.analysis.near_duplicates import band_keys, shingles; import sys; "
              "print(band_keys(shingles(sys.stdin.read())))")
    runs = {subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True,
                           cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2")}
    assert runs == {f"{band_keys(shingles(text))}\n"}


def doc(n: int, text: list[str], site: str = "ben-nghe", title: str = TITLE) -> Document:
    return Document(url=f"{SITES[site]}/tin/{n}.html", site=site, title=title, text="\n\n".join(text))


def clusters_of(index_dir: Path) -> dict[str, str]:
    """Every page's stored cluster, read from the live generation."""
    with whoosh_index.open_dir(str(live_generation(index_dir))).searcher() as searcher:
        return {stored["id"]: stored["cluster"] for stored in searcher.documents()}


# A rebuild settles clusters in memory while all its pages are and their band keys were made ahead (by
# extraction processes), else after its commit: when some pages were handed to Whoosh (batch 1), or when
# the writer makes the band keys itself.
REBUILD_BATCHES = pytest.mark.parametrize(("batch", "ahead"),
                                          [(BATCH_SIZE, True), (1, True), (BATCH_SIZE, False)])


def rebuild(index_dir: Path, documents: list[Document], batch: int = BATCH_SIZE, ahead: bool = True) -> None:
    with new_generation(index_dir) as writer:
        writer._batch_size = batch
        if ahead:
            made = [analyse_ahead(d.url, Extracted(d.title, d.text)) for d in documents]
            writer.analysed_ahead({key: items for analysed in made for key, items in analysed.items()})
        for document in documents:
            writer.upsert(document)


@REBUILD_BATCHES
def test_updates_in_any_order_give_the_clusters_a_rebuild_gives(tmp_path, batch, ahead):
    """Copies join, a copy edited into another article leaves, a later copy with a smaller id renames."""
    first, second, third = (doc(n, [f"Thông tin của phường số {n}.", *DISTRICT]) for n in (1, 2, 3))
    apart = doc(4, SAME_TOPIC + SAME_TOPIC, site="tan-dinh", title="Ra quân vệ sinh kênh")
    edited = replace(second, text="\n\n".join(SAME_TOPIC[::-1] + DISTRICT[:1]))
    final = {d.id: d for d in (first, edited, third, apart)}
    for order in ([[second, third], [first], [apart, edited]], [[edited, apart, first, third]],
                  [[third], [apart], [second], [first], [edited]]):
        index_dir = tmp_path / f"update-{len(order)}-{order[0][0].id}"
        for session in order:
            with open_writer(index_dir) as writer:
                for document in session:
                    writer.upsert(document)
        rebuild(tmp_path / "rebuild", list(final.values()), batch, ahead)
        updated, rebuilt = clusters_of(index_dir), clusters_of(tmp_path / "rebuild")
        assert updated == rebuilt
        smallest = min(first.id, third.id)
        assert {updated[first.id], updated[third.id]} == {smallest}
        assert updated[edited.id] == edited.id and updated[apart.id] == apart.id


@REBUILD_BATCHES
def test_a_rebuild_joins_copies_of_unequal_length(tmp_path, batch, ahead):
    """A ward that adds a paragraph of its own makes a longer copy; the rebuild compares the pair (its
    size check must not drop pairs that `are_copies` accepts) and clusters it, as updates do."""
    short = doc(1, DISTRICT)
    longer = doc(2, [*DISTRICT, SAME_TOPIC[2]], site="da-kao")
    sizes = sorted(len(shingles(d.text)) for d in (short, longer))
    assert sizes[0] < 0.85 * sizes[1] and 0.7 <= similarity(shingles(short.text), shingles(longer.text)) < 0.9
    rebuild(tmp_path / "rebuild", [longer, short], batch, ahead)
    with open_writer(tmp_path / "updated") as writer:
        writer.upsert(longer)
    with open_writer(tmp_path / "updated") as writer:
        writer.upsert(short)
    smallest = min(short.id, longer.id)
    assert clusters_of(tmp_path / "rebuild") == clusters_of(tmp_path / "updated") == \
        {short.id: smallest, longer.id: smallest}


@pytest.mark.parametrize(("ahead", "commits"), [(True, 1), (False, 2)])
def test_a_rebuild_whose_pages_are_all_in_memory_writes_each_once_with_its_cluster(tmp_path, ahead, commits):
    """With their band keys made ahead: one write, one commit. Without, the writer makes them as it indexes
    and settles the clusters after its commit (a second commit, for the pages whose cluster changed)."""
    first, second, third = (doc(n, [f"Thông tin của phường số {n}.", *DISTRICT]) for n in (1, 2, 3))
    apart = doc(4, SAME_TOPIC + SAME_TOPIC, site="tan-dinh", title="Ra quân vệ sinh kênh")
    rebuild(tmp_path / "rebuild", [third, apart, second, first], ahead=ahead)
    generation = live_generation(tmp_path / "rebuild")
    assert whoosh_index.open_dir(str(generation)).latest_generation() == commits
    smallest = min(first.id, second.id, third.id)
    assert clusters_of(tmp_path / "rebuild") == {first.id: smallest, second.id: smallest, third.id: smallest,
                                                 apart.id: apart.id}


def test_equally_scored_copies_show_the_smallest_id_whatever_order_they_were_written_in(tmp_path):
    """Identical copies (an article under its old and its new URL) score alike: the copy a search shows
    is the same in an index updated night by night (where the last page written is the last one in
    the index) and in one rebuilt from the same pages."""
    first, second = sorted((doc(n, DISTRICT) for n in (1, 2)), key=lambda d: d.id)
    again = replace(first, gone=True)               # a later night's capture: written anew, copies unchanged
    for session in ([first, second], [again]):
        with open_writer(tmp_path / "nightly") as writer:
            for document in session:
                writer.upsert(document)
    with new_generation(tmp_path / "rebuilt") as writer:
        for document in (second, again):
            writer.upsert(document)
    for index_dir in (tmp_path / "nightly", tmp_path / "rebuilt"):
        searcher = Searcher(index_dir)
        try:
            for q in ("kế hoạch tổng vệ sinh", ""):
                assert [r["id"] for r in search(searcher, q=q)["results"]] == [first.id], (index_dir, q)
        finally:
            searcher.close()


def test_a_writer_killed_between_its_two_commits_leaves_work_the_next_one_finishes(tmp_path):
    index_dir = tmp_path / "index"
    first, second = (doc(n, [f"Thông tin của phường số {n}.", *DISTRICT]) for n in (1, 2))
    script = textwrap.dedent(f"""
        import os, sys
        from indexer.document import Document
        from indexer.writing import writer as module
        module.changed_clusters = lambda *args: os._exit(9)    # killed after the first commit
        with module.open_writer({str(index_dir)!r}) as writer:
            for number, text in {[(1, first.text), (2, second.text)]!r}:
                writer.upsert(Document(url=f"{SITES['ben-nghe']}/tin/{{number}}.html", site="ben-nghe",
                                       title={TITLE!r}, text=text))
    """)
    killed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    generation = next(p for p in index_dir.iterdir() if p.is_dir())
    assert set(json.loads((generation / CLUSTERS_PENDING).read_text())) == {first.id, second.id}
    assert clusters_of(index_dir) == {first.id: first.id, second.id: second.id}      # written, not settled
    with open_writer(index_dir):
        pass
    assert clusters_of(index_dir) == {first.id: min(first.id, second.id), second.id: min(first.id, second.id)}
    assert not (generation / CLUSTERS_PENDING).exists()


def test_a_rebuild_gives_the_clusters_the_updates_gave(config):
    archive = WarcArchive(config.storage.archive_dir)
    archive.write([page(f"{SITES['ben-nghe']}/tin-tuc/ke-hoach.html", ward_copy("Bến Nghé", "Bến Nghé."),
                        site="ben-nghe")])
    update_index(config)
    archive.write([page(f"{SITES['da-kao']}/tin-tuc/ke-hoach.html", ward_copy("Đa Kao", "Đa Kao."),
                        site="da-kao")])
    update_index(config)
    updated = clusters_of(config.storage.index_dir)
    rebuild_index(config)
    assert clusters_of(config.storage.index_dir) == updated and len(set(updated.values())) == 1


def stock_are_copies(a, b) -> bool:
    """`are_copies` as first written: every pair's Jaccard similarity counted with `np.intersect1d`."""
    if a.title_numbers and b.title_numbers and a.title_numbers != b.title_numbers:
        return False
    if min(len(a.shingles), len(b.shingles)) < MIN_SHINGLES:
        return False
    common = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
    alike = common / (len(a.shingles) + len(b.shingles) - common)
    shorter = min(a.title_words, b.title_words, key=len)
    agree = bool(shorter) and len(a.title_words & b.title_words) >= 0.5 * len(shorter)
    return alike >= SAME_TEXT or (alike >= THRESHOLD and agree)


def generated_pages(count: int = 120, seed: int = 7) -> list[tuple[str, str]]:
    """(title, text) of copies edited by every amount around both thresholds, retitled, numbered and too
    short, and distractors sharing paragraphs."""
    rng = random.Random(seed)
    words = [f"{a}{b}" for a in ("ph", "ng", "tr", "kh", "đ", "h") for b in ("ường", "ài", "ấy", "ơn", "uận")]
    paragraphs = [" ".join(rng.choice(words) for _ in range(40)) for _ in range(30)]
    titles = ["Phường ra quân dọn dẹp", "Phường ra quân dọn dẹp kênh", "Hội nghị cử tri",
              "Lịch tiếp dân tháng 11", "Lịch tiếp dân tháng 12", ""]
    stories = [rng.sample(paragraphs, rng.randint(2, 6)) for _ in range(6)]
    pages = []
    for _ in range(count):
        story = list(rng.choice(stories))
        if rng.random() < 0.3:                               # a distractor: paragraphs of two stories
            story = story[: len(story) // 2 + 1] + rng.choice(stories)
        elif rng.random() < 0.3:                             # a copy with its own intro, or shortened
            story = [rng.choice(paragraphs)] + story if rng.random() < 0.5 else story[:-1] or story
        rate = rng.choice((0.0, 0.005, 0.01, 0.02, 0.04, 0.08))
        edited = [" ".join(rng.choice(words) if rng.random() < rate else w for w in p.split()) for p in story]
        pages.append((rng.choice(titles), "\n\n".join(edited)))
    return pages


def test_a_page_s_candidates_checked_together_get_the_decisions_of_the_stock_jaccard():
    pages = [fingerprint(title, text) for title, text in generated_pages()]

    decisions = [copies_among(page, pages) for page in pages[:30]]

    assert decisions == [[stock_are_copies(page, other) for other in pages] for page in pages[:30]]
    assert 30 < sum(map(sum, decisions)) < 30 * len(pages) / 4


def test_the_pair_test_and_the_clusters_are_those_of_the_stock_jaccard():
    """Every kind of near copy (`generated_pages`): the same decision on every pair as the stock Jaccard,
    hence the same clusters."""
    pages = [fingerprint(title, text) for title, text in generated_pages()]
    pairs = [(a, b) for a in range(len(pages)) for b in range(a + 1, len(pages))]

    decisions = [are_copies(pages[a], pages[b]) for a, b in pairs]

    assert decisions == [stock_are_copies(pages[a], pages[b]) for a, b in pairs]
    assert 50 < sum(decisions) < len(pairs) / 4
    near = [similarity(pages[a].shingles, pages[b].shingles) for a, b in pairs]
    assert sum(0.6 < x < THRESHOLD for x in near) > 20 and sum(THRESHOLD <= x < SAME_TEXT for x in near) > 20
    copies = [f"{a:03}-{b:03}" for (a, b), copy in zip(pairs, decisions, strict=True) if copy]
    stock = [f"{a:03}-{b:03}" for a, b in pairs if stock_are_copies(pages[a], pages[b])]
    ids = [f"{n:03}" for n in range(len(pages))]
    assert components(ids, [tuple(p.split("-")) for p in copies]) == \
        components(ids, [tuple(p.split("-")) for p in stock])


def test_candidate_pairs_checked_in_forked_processes_give_the_same_clusters(monkeypatch):
    """A rebuild's writer checks the candidate pairs in as many processes as it extracts with, from the
    shingles the extraction processes made: the clusters are those of one process making them all."""
    pages = (doc(n, [text], title=title) for n, (title, text) in enumerate(generated_pages()))
    documents = {page.id: page for page in pages}
    keys = {doc_id: band_keys(shingles(d.text)) for doc_id, d in documents.items()}
    made = {doc_id: shingles(d.text) for doc_id, d in list(documents.items())[::2]}
    one_process = pending_clusters(documents, keys)
    monkeypatch.setattr(clusters_module, "MIN_FORKED_PAIRS", 10)
    started = recorded_forks(monkeypatch)

    forked = pending_clusters(documents, keys, made, procs=3)

    assert forked == one_process and len(set(one_process.values())) >= 5
    assert len(started) == 2 and all(process.pid != os.getpid() for process in started)


def test_the_signature_screen_keeps_every_copy_sharing_a_band_and_drops_most_other_pairs():
    pages = [fingerprint(title, text) for title, text in generated_pages()]
    keys = [set(band_keys(page.shingles)) for page in pages]
    pairs = [(a, b) for a in range(len(pages)) for b in range(a + 1, len(pages)) if keys[a] & keys[b]]

    kept = signatures_agree(np.stack([pages[a].signature for a, _ in pairs]),
                            np.stack([pages[b].signature for _, b in pairs])).tolist()

    copies = [stock_are_copies(pages[a], pages[b]) for a, b in pairs]
    assert sum(copies) > 50 and all(screened for screened, copy in zip(kept, copies, strict=True) if copy)
    dropped = [similarity(pages[a].shingles, pages[b].shingles)
               for (a, b), screened in zip(pairs, kept, strict=True) if not screened]
    assert len(dropped) > 0.25 * len(pairs) and max(dropped) < THRESHOLD    # pairs sharing a paragraph or two
