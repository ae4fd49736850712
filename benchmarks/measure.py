"""Run a command several times in its own process; report wall time, CPU time and peak RSS.

The peak RSS is that of the largest process the command started (the
kernel's `ru_maxrss` of the children), read in a small wrapper process so
that runs do not see each other's peaks. CPU time (user + system of every
process the command started) is reported beside the wall time: on a host
shared with other work it says whether a slower run did more work.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(wall, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)\n"
)


@dataclass(frozen=True)
class Measurement:
    name: str
    runs: list[float]
    peak_rss_mb: float
    cpu: list[float] = field(default_factory=list)  # CPU seconds of each run
    # From `newsroom publish` itself (pipeline/processes.py): each step's median seconds, and
    # the peak RSS of each kind of child process (pelican, search) over the runs.
    steps: dict[str, float] = field(default_factory=dict)
    child_peaks_mb: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        return max(self.runs) - min(self.runs)

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "median": self.median,
            "spread": self.spread,
            "cpu_median": self.cpu_median,
        }


def run_once(
    command: list[str], cwd: Path, stats: Path | None = None
) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one run; with `stats`, a publish writes
    its own figures there (NEWSROOM_PUBLISH_STATS)."""
    env = {**os.environ, "NEWSROOM_PUBLISH_STATS": str(stats)} if stats else None
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
    )
    wall, rss_kb, code, cpu = result.stdout.split()
    if code != "0":
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{result.stderr}")
    return float(wall), int(rss_kb) / 1024, float(cpu)


@dataclass
class Spec:
    """One measurement to take: `before()` runs ahead of each repetition (to reset state) and
    is not timed. With `publish`, the command is a `newsroom publish` whose own figures are
    collected."""

    name: str
    command: list[str]
    cwd: Path
    before: Callable[[], object] | None = None
    publish: bool = False
    runs: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peak: float = 0.0
    steps: dict[str, list[float]] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)

    def run(self, folder: Path) -> None:
        if self.before:
            self.before()
        stats = folder / f"{self.name}-{len(self.runs)}.json" if self.publish else None
        wall, rss, cpu = run_once(self.command, self.cwd, stats)
        self.runs.append(wall)
        self.cpus.append(cpu)
        self.peak = max(self.peak, rss)
        if stats and stats.is_file():  # absent when the publish had nothing to do
            data = json.loads(stats.read_text("utf-8"))
            for step, seconds in data["seconds"].items():
                self.steps.setdefault(step, []).append(seconds)
            for child, mb in data["peak_rss_mb"].items():
                self.peaks[child] = max(self.peaks.get(child, 0.0), mb)

    def result(self) -> Measurement:
        medians = {step: statistics.median(values) for step, values in self.steps.items()}
        return Measurement(self.name, self.runs, self.peak, self.cpus, medians, self.peaks)


def measure(
    name: str, command: list[str], cwd: Path, repeat: int = 3, before=None, publish=False
) -> Measurement:
    """`repeat` runs of one command (see Spec)."""
    return measure_interleaved([Spec(name, command, cwd, before, publish)], repeat)[0]


def measure_interleaved(specs: list[Spec], repeat: int = 3) -> list[Measurement]:
    """`repeat` rounds, each running every spec once in turn: what the host's load does
    during the measurements falls on each of them alike."""
    with tempfile.TemporaryDirectory() as folder:
        for _round in range(repeat):
            for spec in specs:
                spec.run(Path(folder))
    return [spec.result() for spec in specs]


def report(measurements: list[Measurement], baseline: Measurement, out: Path) -> None:
    print(f"{'measurement':44} {'median s':>9} {'spread':>7} {'ratio':>6} {'peak MB':>8}")
    for m in measurements:
        ratio = m.median / baseline.median
        print(f"{m.name:44} {m.median:9.2f} {m.spread:7.2f} {ratio:6.2f} {m.peak_rss_mb:8.0f}")
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "baseline": baseline.name,
        "measurements": [
            {**m.as_dict(), "ratio_to_baseline": m.median / baseline.median} for m in measurements
        ],
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    print(f"JSON: {out}")
