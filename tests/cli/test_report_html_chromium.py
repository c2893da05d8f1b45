"""Opens `joulebench report --format html` in headless Chromium (Debian's chromium): every
chart must be in the rendered DOM with drawn elements, the screenshot must not be blank, and
the page must log no console errors. Skipped only when /usr/bin/chromium is missing."""
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run
from report_inputs import make_runs, write_trace

CHROMIUM = Path("/usr/bin/chromium")
CHARTS = ("chart-power-0", "chart-j-per-token-load", "chart-throughput-energy", "chart-energy-config")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                "(scripts/install-deps.sh installs Debian's chromium)")


def chromium(tmp_path, *args):
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
               f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


class ChartCounter(HTMLParser):
    """Counts the drawn elements (path, rect, circle) inside each <svg class="jb-chart">
    (the report never nests one svg in another)."""

    def __init__(self):
        super().__init__()
        self.drawn = {}
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "jb-chart" in (attrs.get("class") or ""):
            self.current = attrs.get("id")
            self.drawn[self.current] = {"path": 0, "rect": 0, "circle": 0}
        elif self.current is not None and tag in self.drawn[self.current]:
            self.drawn[self.current][tag] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None


def png_pixels(path):
    """Width, height and the raw (filtered) scanline bytes of a PNG, with the standard library only."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, width, height = 8, b"", 0, 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    directory = tmp_path_factory.mktemp("html")
    runs = make_runs(directory)
    trace = write_trace(directory / "trace.csv", runs["fp16"])
    out = directory / "report.html"
    result = run(["report", runs["fp16"], runs["nf4"], "--format", "html", "--input-trace", trace, "-o", str(out)])
    assert result.returncode == 0, result.stderr
    return out


def test_every_chart_is_drawn_in_the_dom(report_html, tmp_path):
    result = chromium(tmp_path, "--dump-dom", report_html.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    counter = ChartCounter()
    counter.feed(result.stdout)
    assert set(CHARTS) <= set(counter.drawn), counter.drawn
    for chart in CHARTS:
        drawn = counter.drawn[chart]
        assert drawn["path"] + drawn["rect"] + drawn["circle"] > 0, (chart, drawn)
    assert counter.drawn["chart-power-0"]["rect"] >= 3  # the shaded measured windows
    assert counter.drawn["chart-energy-config"]["rect"] >= 2  # one bar per precision
    assert "Uncaught" not in result.stderr and ":CONSOLE(" not in result.stderr, result.stderr[-2000:]


def test_screenshot_is_not_blank(report_html, tmp_path):
    shot = tmp_path / "report.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2200", "--hide-scrollbars",
                      report_html.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    width, height, raw = png_pixels(shot)
    assert (width, height) == (1200, 2200)
    # A blank page compresses to a handful of byte values; charts, text and colours give many.
    assert len(set(raw)) > 50, f"only {len(set(raw))} distinct byte values"
    assert "Uncaught" not in result.stderr and ":CONSOLE(" not in result.stderr, result.stderr[-2000:]
