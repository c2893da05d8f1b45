"""Every page joulebench makes opens in headless Chromium (Debian's chromium): the fleet
report and the exporter's live page render, draw their charts, say what they must (axes with
units; why a chart is empty), log no script error, and their screenshots are not blank. The
bench report's page has its own checks in test_report_html_chromium.py. Skipped only when
/usr/bin/chromium is missing."""
import pytest

from conftest import DATA, run
from exporter_helpers import Exporter
from test_report_html_chromium import CHROMIUM, ChartCounter, chromium, png_pixels

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                "(scripts/install-deps.sh installs Debian's chromium)")


def rendered_dom(tmp_path, url):
    # The virtual-time budget lets the page's scripts (the live page's first /metrics poll) run.
    result = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Uncaught" not in result.stderr and ":CONSOLE(" not in result.stderr, result.stderr[-2000:]
    return result.stdout


def assert_screenshot_not_blank(tmp_path, url):
    shot = tmp_path / "page.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1200",
                      "--hide-scrollbars", "--virtual-time-budget=5000", url)
    assert shot.exists(), result.stderr[-2000:]
    width, height, raw = png_pixels(shot)
    assert (width, height) == (1000, 1200)
    assert len(set(raw)) > 50, f"only {len(set(raw))} distinct byte values"
    assert "Uncaught" not in result.stderr and ":CONSOLE(" not in result.stderr, result.stderr[-2000:]


def test_fleet_page_renders_its_curve_and_figures(tmp_path):
    page = tmp_path / "fleet.html"
    result = run(["fleet", "--input-csv", str(DATA / "fleet" / "seed.csv"), "--format", "html",
                  "-o", str(page)])
    assert result.returncode == 0, result.stderr
    dom = rendered_dom(tmp_path, page.as_uri())
    counter = ChartCounter()
    counter.feed(dom)
    drawn = counter.drawn["chart-fleet-curve"]
    assert drawn["path"] + drawn["circle"] > 0, drawn
    for text in ("J/token", "tokens/s", "idle"):
        assert text in dom, text
    assert_screenshot_not_blank(tmp_path, page.as_uri())


def test_exporter_live_page_draws_power_with_units_and_says_why_tokens_are_missing(
        fake_nvml, tmp_path):
    env = fake_nvml({"devices": [{"power_w": 250.0, "name": "NVIDIA H100 80GB HBM3"}]})
    exporter = Exporter(["--sensor", "nvml", "--interval", "100ms"], env)
    try:
        dom = rendered_dom(tmp_path, exporter.url + "/")
        power = dom.split('id="power"', 1)[1].split("</svg>", 1)[0]
        assert "<polyline" in power  # the first poll drew GPU 0's power
        assert " W</text>" in power and "time (s before now)" in power and ">now<" in power
        assert "gpu 0 NVIDIA H100 80GB HBM3: 250.0 W" in dom  # the legend, with its unit
        tokens = dom.split('id="tpj"', 1)[1].split("</svg>", 1)[0]
        assert "<polyline" not in tokens
        assert "No tokens/J: the exporter was started without --tokens-from URL" in tokens
        assert " tokens/J</text>" in tokens
        assert_screenshot_not_blank(tmp_path, exporter.url + "/")
    finally:
        exporter.stop()
