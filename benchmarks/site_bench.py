"""Benchmark: the whole `newsroom publish` against plain Pelican, on the same corpus.

For each size N it writes the deterministic corpus (benchmarks/corpus.py),
has every article submitted and approved in the editorial record through
the real workflow functions (one process, the same checks and transactions
as the CLI), renders the photo renditions once (they are measured by
photos_bench.py), and then measures, each at least 3 times in its own
process:

1. plain Pelican (benchmarks/plain_pelicanconf.py): the baseline;
2. `newsroom publish`, cold: no reader cache, no previous release, a fresh record;
3. `newsroom publish` with nothing changed;
4. `newsroom publish` after one new article is approved;
5. `newsroom publish` after one old article is corrected;

plus, for reference beside 4 and 5, plain Pelican's own way to redo one page (its
content cache warm, only that page written), the search indexer on its own (every
year, and one year), the desk
commands that look at the whole site (`status`, `queue`, `check` of one
article; they have no Pelican counterpart, so their seconds stand alone), and
a per-plugin profile of one cold Pelican build (benchmarks/plugin_profile.py).
Prints a table and writes benchmarks/results/site_bench-<N>.json.

The output a run leaves (plain Pelican's site; our releases, build cache and
record) is set aside by rename before the next run and deleted once every size
is measured, for both alike: on a file system mounted with `discard`
(this host's ext4), making files in the minute after a large deletion is up
to ten times slower, so deleting the previous run's tree just before the
next would time the disk's trimming, not the build.

    python benchmarks/site_bench.py [--articles 1000 [--articles 10000]] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import article_body, article_fields, write_corpus  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    Measurement,
    Spec,
    measure,
    measure_interleaved,
    run_once,
)
from pipeline import pages  # noqa: E402
from pipeline.article import format_article, read_article  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.figures import Photo  # noqa: E402
from pipeline.page_files import page_paths  # noqa: E402
from pipeline.releases import PRUNED  # noqa: E402
from pipeline.workflow import (  # noqa: E402
    approve,
    approve_many,
    open_desk,
    submit,
    submit_many,
)

WORK = REPO / ".cache" / "bench-site"
RESULTS = REPO / "benchmarks" / "results"
REPORTER, EDITOR = "dinhquang", "bientapvien"
NEWSROOM = [str(Path(sys.executable).parent / "newsroom")]
STAMP = "corpus.json"
BASELINE = "plain Pelican (baseline)"
LINKED = "plain Pelican, photos hard-linked"
ONE_PAGE = "plain Pelican, one page, own cache"
SET_ASIDE = "set-aside"  # under the corpus's work folder; emptied once every size is measured


@dataclass
class Corpus:
    """A corpus on disk, approved, with what is needed to put it back as it was."""

    articles: int
    work: Path
    ours: Path
    plain: Path
    record: Path
    pristine_record: Path
    added: list[Path] = field(default_factory=list)
    edited: dict[Path, bytes] = field(default_factory=dict)


# Setting up -----------------------------------------------------------------


def _article_folders(content: Path) -> list[Path]:
    return sorted(p.parent for p in (content / "articles").rglob("index.md"))


def approve_all(root: Path, folders: list[Path]) -> None:
    """Submit as a reporter and approve as an editor, through the workflow's own functions:
    every article, and the static pages (Giới thiệu, Liên hệ, 404, tìm kiếm) as on a real site.
    The articles go through the batch path (`newsroom submit A B …` does the same): checked
    together once, then each submitted or approved in its own transaction."""
    arguments = [str(folder) for folder in folders]
    with open_desk(root, REPORTER) as desk:
        static = page_paths(desk.content)
        submit_many(desk, arguments)
        for path in static:
            pages.submit(desk, path)
    with open_desk(root, EDITOR) as desk:
        approve_many(desk, arguments, note="Duyệt bài đo hiệu năng")
        for path in static:
            pages.approve(desk, path, None, "Duyệt trang tĩnh", None)


def prepare(articles: int, seed: int = 7) -> Corpus:
    """The corpus of `articles`, approved; kept between runs of the benchmark (same seed)."""
    work = WORK / f"n{articles}"
    ours, plain = work / "ours", work / "plain"
    config_record = ours / "var" / "newsroom.sqlite3"
    pristine = work / "record.pristine.sqlite3"
    generator = hashlib.sha256((REPO / "benchmarks" / "corpus.py").read_bytes()).hexdigest()
    stamp = {"articles": articles, "seed": seed, "pages": True, "generator": generator}
    stamp_path = work / STAMP
    if not (stamp_path.is_file() and json.loads(stamp_path.read_text()) == stamp):
        started = time.perf_counter()
        shutil.rmtree(work, ignore_errors=True)
        write_corpus(work, articles, seed)
        print(f"[{articles}] corpus written in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        approve_all(ours, _article_folders(ours / "content"))
        print(f"[{articles}] approved in {time.perf_counter() - started:.0f} s", flush=True)
        _checkpoint(config_record)
        shutil.copy2(config_record, pristine)
        stamp_path.write_text(json.dumps(stamp))
    for name in ("pelicanconf.py", "publishconf.py"):  # the settings as they are now
        shutil.copy2(REPO / name, ours / name)
    assert load_config(ours).record_path == config_record
    return Corpus(articles, work, ours, plain, config_record, pristine)


def _checkpoint(record: Path) -> None:
    """Fold the WAL into the database file, so that one file copy is the whole record."""
    import sqlite3

    connection = sqlite3.connect(record)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def set_aside(corpus: Corpus, target: Path) -> None:
    """`target` out of the way by rename, deleted once every size is measured (`main`; what
    an interrupted run set aside too), never just before a timed run."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        folder = corpus.work / SET_ASIDE
        folder.mkdir(exist_ok=True)
        target.rename(folder / f"{time.time_ns()}-{target.name}")


def reset(corpus: Corpus) -> None:
    """Back to the approved corpus: no release, no build cache, the pristine record."""
    for path in corpus.added:
        shutil.rmtree(path, ignore_errors=True)
    corpus.added.clear()
    for path, data in corpus.edited.items():
        path.write_bytes(data)
    corpus.edited.clear()
    for name in ("releases", "output", ".cache/build", "var"):
        set_aside(corpus, corpus.ours / name)
    corpus.record.parent.mkdir(parents=True)
    shutil.copy2(corpus.pristine_record, corpus.record)


def settled(corpus: Corpus, limit: float = 600.0) -> None:
    """Until the deletions that earlier publishes left running (pruned releases, reader-cache
    versions and previews: `files.delete_later`) are done (not timed): a timed run does not
    share the disk with an earlier one's deletion. A publish that prunes still starts its own,
    as in production."""
    places = [corpus.ours / "releases", corpus.ours / ".cache" / "build"]
    places.append(places[1] / "readers")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(
        next(place.glob(f"{PRUNED}*"), None) for place in places if place.is_dir()
    ):
        time.sleep(0.2)


def _reset(corpus: Corpus) -> None:
    settled(corpus)  # before its releases are set aside, with a deletion still in them
    reset(corpus)


def add_article(corpus: Corpus) -> None:
    """A new article of about 600 words with a photo, written and approved as a reporter and
    an editor would (not timed); it takes the tags and the photo (from the shared pool, whose
    renditions are cached) of an existing article, as news does."""
    number = corpus.articles + len(corpus.added)
    folders = _article_folders(corpus.ours / "content")
    model = read_article(folders[number * 13 % len(folders)])
    fields = article_fields(
        random.Random(number),
        number,
        model.fields["Tags"].split(", "),
        ["Lê Văn Hùng", "Ngô Thu Hà"],
    )
    fields["Date"] = f"2025-12-31T{8 + len(corpus.added):02d}:00:00+07:00"
    photo = model.photos[0]
    caption = Photo(photo.src, "Ảnh tin mới", "Bộ đội biên phòng tuần tra.", "Tòa soạn")
    body = article_body(random.Random(-number), caption)  # about 600 words, as every article
    folder = corpus.ours / "content" / "articles" / "2025" / "12" / fields["Slug"]
    shutil.rmtree(folder, ignore_errors=True)  # left by an interrupted earlier run
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(format_article(fields, body), "utf-8")
    os.link(model.folder / photo.src, folder / photo.src)
    corpus.added.append(folder)
    approve_all(corpus.ours, [folder])


def correct_article(corpus: Corpus) -> None:
    """An early article's text corrected and approved with a visible correction (not timed)."""
    folder = _article_folders(corpus.ours / "content")[len(corpus.edited) * 7 + 3]
    index = folder / "index.md"
    original = index.read_bytes()
    corpus.edited.setdefault(index, original)
    index.write_text(original.decode("utf-8") + "\nĐã sửa tên đơn vị.\n", "utf-8")
    with open_desk(corpus.ours, REPORTER) as desk:
        submit(desk, str(folder))
    with open_desk(corpus.ours, EDITOR) as desk:
        approve(desk, str(folder), correction="Sửa tên đơn vị trong bài.")


# Measuring ------------------------------------------------------------------


def _publish_command(corpus: Corpus) -> list[str]:
    """What an editor (or the cron line) runs: publishing needs an editor's identity."""
    return [*NEWSROOM, "--root", str(corpus.ours), "publish", "--as", EDITOR]


def _live(corpus: Corpus) -> Path:
    return (corpus.ours / "output").resolve()


def measure_plain_one_page(corpus: Corpus, settings: str, repeat: int) -> Measurement:
    """Plain Pelican's own way to redo one article's page: its content cache warm
    (CACHE_CONTENT, LOAD_CONTENT_CACHE: the first, untimed run fills it) and only that page
    written (WRITE_SELECTED), nothing else changed. It still reads every article back and
    builds every list and feed in memory: what Pelican itself offers for one article, shown
    beside our one-article figures for reference, not a baseline (its other pages go stale)."""
    out, cache = corpus.work / "plain-one-page", corpus.work / "plain-cache"
    set_aside(corpus, out)
    set_aside(corpus, cache)
    command = [sys.executable, "-m", "pelican", "content", "-s", settings, "-o", str(out), "-q"]
    command += ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", "STATIC_CREATE_LINKS=true"]
    command.append(f"CACHE_PATH={json.dumps(str(cache))}")
    run_once(command, corpus.plain)
    page = next(iter(sorted(out.glob("[0-9]*/*/*/*/index.html"))))
    selected = [*command, f"WRITE_SELECTED={json.dumps([str(page)])}"]
    result = measure(ONE_PAGE, selected, corpus.plain, repeat, lambda: settled(corpus))
    set_aside(corpus, out)
    set_aside(corpus, cache)
    return result


def measure_search(corpus: Corpus, repeat: int) -> list[Measurement]:
    """The indexer alone on a hard-link copy of the live release: every year, then one."""
    live = _live(corpus)
    scratch = corpus.work / "search-scratch"
    years = sorted(p.name for p in live.iterdir() if p.name.isdigit())

    def fresh_copy() -> None:
        settled(corpus)
        set_aside(corpus, scratch)
        subprocess.run(["cp", "-al", str(live), str(scratch)], check=True)
        set_aside(corpus, scratch / "pagefind")

    def index(years_arg: str) -> list[str]:
        code = (
            "import sys; from pathlib import Path; from pipeline.search import index_site; "
            f"index_site(Path(sys.argv[1]), {years_arg})"
        )
        return [sys.executable, "-c", code, str(scratch)]

    results = [
        measure("search index, all years", index("None"), REPO, repeat, fresh_copy),
        measure(
            f"search index, one year ({years[-1]})",
            index(f"[{years[-1]!r}]"),
            REPO,
            repeat,
            fresh_copy,
        ),
    ]
    set_aside(corpus, scratch)
    return results


def measure_desk(corpus: Corpus, repeat: int) -> list[Measurement]:
    """What a reporter or editor waits for at the desk: every article's status with no desk
    index (pipeline/desk_index.py) and with one, the editor's queue, checking one article
    (the check that `submit` and `approve` run), and previewing a submitted article, with
    no preview before and after an earlier revision's (pipeline/preview.py)."""
    desk = [*NEWSROOM, "--root", str(corpus.ours)]
    folders = _article_folders(corpus.ours / "content")
    one = str(folders[len(folders) // 2])

    def no_index() -> None:
        settled(corpus)
        set_aside(corpus, corpus.ours / ".cache" / "desk")

    story = folders[len(folders) // 3]
    index = story / "index.md"
    corpus.edited.setdefault(index, index.read_bytes())  # put back by `reset`, as the record

    def revise() -> None:
        """A new revision of one article submitted by its reporter (not timed)."""
        settled(corpus)
        index.write_text(index.read_text("utf-8") + "\nCâu sửa chờ duyệt.\n", "utf-8")
        with open_desk(corpus.ours, REPORTER) as desk:
            submit(desk, str(story))

    def revise_first() -> None:
        set_aside(corpus, corpus.ours / ".cache" / "build" / "preview")
        revise()

    preview = [*desk, "preview", str(story), "--as", EDITOR]

    def quiet() -> None:
        settled(corpus)

    return [
        measure("desk: status, every article, no index", [*desk, "status"], REPO, repeat, no_index),
        measure("desk: status, every article", [*desk, "status"], REPO, repeat, quiet),
        measure("desk: queue, editor", [*desk, "queue", "--as", EDITOR], REPO, repeat, quiet),
        measure("desk: check one article", [*desk, "check", one], REPO, repeat, quiet),
        measure("desk: preview, first", preview, REPO, repeat, revise_first),
        measure("desk: preview, next revision", preview, REPO, repeat, revise),
    ]


def measure_watch(corpus: Corpus, repeat: int) -> Measurement:
    """What an editor waits for with the publisher running (`publish --watch`, as the README's
    systemd unit runs it): from writing a new article, through submitting and approving it,
    to the publisher reporting it live. The interval (600 s) is never waited out: an approval
    starts the next round (pipeline/record_watch.py)."""
    settled(corpus)
    command = [*_publish_command(corpus), "--watch", "--interval", "600"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the watch flushes; so do we
    watcher = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, text=True, env=environment
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True
    ).start()

    def approved_then_live() -> float:
        started = time.perf_counter()
        add_article(corpus)
        line = lines.get(timeout=600)
        if not line.startswith("Đã xuất bản"):
            raise SystemExit(f"publish --watch said: {line}")
        return time.perf_counter() - started

    try:
        approved_then_live()  # the first round after a start is not what an editor waits for
        runs = [approved_then_live() for _ in range(repeat)]
    finally:
        watcher.terminate()
        watcher.wait()
    return Measurement("editor: write, approve, live (--watch)", runs, 0.0)


def profile_plugins(corpus: Corpus) -> dict:
    out = corpus.work / "plugin-profile.json"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "plugin_profile.py"),
            str(corpus.ours),
            str(out),
        ],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,  # Pelican's own summary line is not the benchmark's
    )
    return json.loads(out.read_text("utf-8"))


def bench_size(articles: int, repeat: int) -> dict:
    corpus = prepare(articles)
    plain_out = corpus.plain / "output"
    settings = str(REPO / "benchmarks" / "plain_pelicanconf.py")
    plain = [sys.executable, "-m", "pelican", "content", "-s", settings, "-o", str(plain_out), "-q"]
    publish = _publish_command(corpus)
    # Untimed first runs: plain Pelican's (a first run pays for a cold disk cache), and ours,
    # which puts the photo renditions into the photo cache (measured by photos_bench.py).
    set_aside(corpus, plain_out)
    run_once(plain, corpus.plain)
    reset(corpus)
    run_once(publish, REPO)  # (wall, rss, cpu) not reported
    # In turns, so that the host's load falls on each alike. Pelican copies each article's
    # photo (10,000 files at 10,000 articles) unless STATIC_CREATE_LINKS: the baseline keeps
    # Pelican's default, and plain Pelican with hard links is measured beside it.
    baseline, linked, cold = measure_interleaved(
        [
            Spec(BASELINE, plain, corpus.plain, lambda: set_aside(corpus, plain_out)),
            Spec(
                LINKED,
                [*plain, "-e", "STATIC_CREATE_LINKS=true"],
                corpus.plain,
                lambda: set_aside(corpus, plain_out),
            ),
            Spec("newsroom publish, cold", publish, REPO, lambda: _reset(corpus), publish=True),
        ],
        repeat,
    )
    for m in (baseline, linked, cold):
        print(f"[{articles}] {m.name}: {m.median:.1f} s", flush=True)
    unchanged = measure(
        "newsroom publish, nothing changed",
        publish,
        REPO,
        repeat,
        lambda: settled(corpus),
        publish=True,
    )
    added = measure(
        "newsroom publish, one new article",
        publish,
        REPO,
        repeat,
        lambda: (settled(corpus), add_article(corpus)),
        publish=True,
    )
    corrected = measure(
        "newsroom publish, one correction",
        publish,
        REPO,
        repeat,
        lambda: (settled(corpus), correct_article(corpus)),
        publish=True,
    )
    one_page = measure_plain_one_page(corpus, settings, repeat)
    search = measure_search(corpus, repeat)
    profile = profile_plugins(corpus)
    watching = measure_watch(corpus, repeat)
    desk = [watching, *measure_desk(corpus, repeat)]  # last: it leaves one submitted article
    reset(corpus)  # what it sets aside is deleted once every size is measured (main)
    return {
        "articles": articles,
        "baseline": baseline,
        "linked": linked,
        "measurements": [cold, unchanged, added, corrected],
        "reference": [one_page],
        "search": search,
        "desk": desk,
        "profile": profile,
    }


# Reporting ------------------------------------------------------------------

GOALS = {
    "newsroom publish, cold": 1.0,
    "newsroom publish, nothing changed": 0.25,
    "newsroom publish, one new article": 0.15,
    "newsroom publish, one correction": 0.15,
}
RSS_GOAL = 1.5


def _row(m: Measurement, baseline: Measurement, linked: Measurement) -> dict:
    ratio = m.median / baseline.median
    goal = GOALS.get(m.name)
    pelican = m.child_peaks_mb.get("pelican")
    return {
        **m.as_dict(),
        "ratio_to_baseline": round(ratio, 3),
        "ratio_to_linked_baseline": round(m.median / linked.median, 3),
        "cpu_ratio_to_baseline": round(m.cpu_median / baseline.cpu_median, 3),
        "rss_ratio_to_baseline": round(m.peak_rss_mb / baseline.peak_rss_mb, 3),
        "pelican_rss_ratio_to_baseline": (
            None if pelican is None else round(pelican / baseline.peak_rss_mb, 3)
        ),
        "goal_ratio": goal,
        "goal_met": None if goal is None else ratio <= goal,
    }


def _provenance() -> dict:
    """Which code was measured, when, and how busy the host was as the size finished."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "?"

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        # Results of an earlier size of the same run are not a change of what is measured.
        "uncommitted_changes": bool(
            git(
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                f":!{RESULTS.relative_to(REPO)}",
            )
        ),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_average": [round(n, 2) for n in os.getloadavg()],
    }


def report(result: dict) -> dict:
    baseline: Measurement = result["baseline"]
    linked: Measurement = result["linked"]
    n = result["articles"]
    provenance = _provenance()
    dirty = " + uncommitted changes" if provenance["uncommitted_changes"] else ""
    print(f"\n== {n} articles ==")
    print(
        f"commit {provenance['commit']}{dirty}, finished {provenance['finished']}, "
        f"load average {' '.join(map(str, provenance['load_average']))}"
    )
    print(
        f"{'measurement':40} {'median s':>9} {'spread':>7} {'ratio':>6} {'goal':>5} "
        f"{'cpu s':>7} {'cpu x':>6} {'peak MB':>8} {'rss x':>6}"
    )
    rows = []
    for m in [baseline, linked, *result["measurements"], *result["reference"], *result["search"]]:
        row = _row(m, baseline, linked)
        rows.append(row)
        goal = f"{row['goal_ratio']:.2f}" if row["goal_ratio"] else ""
        print(
            f"{m.name:40} {m.median:9.2f} {m.spread:7.2f} {row['ratio_to_baseline']:6.2f} "
            f"{goal:>5} {m.cpu_median:7.1f} {row['cpu_ratio_to_baseline']:6.2f} "
            f"{m.peak_rss_mb:8.0f} {row['rss_ratio_to_baseline']:6.2f}"
        )
    cold = next(m for m in result["measurements"] if m.name == "newsroom publish, cold")
    print(f"newsroom publish, cold, against {LINKED}: {cold.median / linked.median:.2f}")
    print("(peak MB: the largest process a command started; rss x: against the baseline's)")
    print(f"\n{'desk commands (no Pelican counterpart)':40} {'median s':>9} {'spread':>7}")
    for m in result["desk"]:
        rows.append(m.as_dict())
        print(f"{m.name:40} {m.median:9.2f} {m.spread:7.2f}")
    print(
        "\nnewsroom publish, step by step (median s) and the peak RSS (MB) of each kind of "
        "process (publish: its own):"
    )
    for m in result["measurements"]:
        steps = "  ".join(f"{step} {seconds:.2f}" for step, seconds in m.steps.items())
        peaks = "  ".join(f"{child} {mb:.0f}" for child, mb in m.child_peaks_mb.items())
        pelican = m.child_peaks_mb.get("pelican")
        ratio = ""
        if pelican:
            ratio = f" (Pelican {pelican / baseline.peak_rss_mb:.2f}x, goal {RSS_GOAL}x)"
        print(f"  {m.name:38} {steps or '-'}\n  {'':38} {peaks or '-'}{ratio}")
    indexer = [(m.name, m.child_peaks_mb["search"]) for m in result["measurements"]
               if "search" in m.child_peaks_mb]  # fmt: skip
    if indexer:
        peaks = ", ".join(
            f"{name.removeprefix('newsroom publish, ')} {mb:.0f} MB" for name, mb in indexer
        )
        print(f"search indexer (Pagefind) peak RSS inside the publish: {peaks}")
        print("  (a child's peak counts from its parent's size when it started; the search rows")
        print("  above give the indexer's alone)")
    profile = result["profile"]
    seconds = profile["build_seconds"]
    print(
        f"\ntime inside each plugin's signal handlers, callees included, in one cold Pelican "
        f"build under cProfile ({seconds:.1f} s; site_writer's includes rendering every page, "
        "work a plugin does outside its handlers is under its package below):"
    )
    for name, seconds in profile["plugins"].items():
        print(f"  {name:24} {seconds:7.2f} s")
    print("self time by package (cProfile, same build; every plugin, then the 12 largest others):")
    packages = profile["packages"].items()
    ours = [(name, s) for name, s in packages if name.startswith("plugin ")]
    others = [(name, s) for name, s in packages if not name.startswith("plugin ")][:12]
    for name, seconds in [*ours, *others]:
        print(f"  {name:24} {seconds:7.2f} s")
    return {
        "articles": n,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        **provenance,
        "baseline": baseline.name,
        "rss_goal_ratio": RSS_GOAL,
        "measurements": rows,
        "profile": profile,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, action="append", metavar="N",
        help="corpus size; give it again for more sizes (default: 1000 and 10000)",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="K",
        help="timed runs of each measurement (at least 3, the median is reported; default 3)",
    )  # fmt: skip
    args = parser.parse_args()
    sizes = args.articles or [1000, 10000]
    for articles in sizes:
        data = report(bench_size(articles, max(3, args.repeat)))
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"site_bench-{articles}.json"
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"JSON: {out}")
    for articles in sizes:  # after every timed run of every size
        shutil.rmtree(WORK / f"n{articles}" / SET_ASIDE, ignore_errors=True)


if __name__ == "__main__":
    main()
