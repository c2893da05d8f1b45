"""Bad and implausible outside input (issue 13): one `error:` line naming the file, line or
value and exit 2, or a warning naming the rows; never a crash, a silent drop or a number
made up from garbage."""
import http.server
import json
import threading

import pytest

from conftest import DATA, run, run_json
from report_inputs import make_runs

LOGS = DATA / "nvidia-smi"
TRACE_HEADER = ("time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,"
                "sm_clock_mhz,memory_used_bytes,throttle_mask")


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else ""


# --- item 6: a file with no newline -------------------------------------------------------

def test_a_file_without_newlines_is_refused_by_line_not_read_whole(tmp_path):
    sparse = tmp_path / "sparse.csv"
    with open(sparse, "wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # 64 MiB of NUL bytes, no newline
    result = run(["analyze", str(sparse)])
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: {sparse}:1: line longer than 65536 bytes\n"


def test_a_long_row_among_good_ones_names_its_line(tmp_path):
    log = tmp_path / "long.csv"
    log.write_text("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 100 W\n" + "," * 200000 +
                   "\n2024/01/01 00:00:01.000, 100 W\n")
    result = run(["analyze", str(log)])
    assert result.returncode == 2
    assert result.stderr == f"error: {log}:3: line longer than 65536 bytes\n"
    skipped = run(["analyze", str(log), "--skip-bad-lines", "--json"])
    assert skipped.returncode == 0, skipped.stderr
    assert json.loads(skipped.stdout)["skipped_lines"] == 1


# --- item 12: power.draw.instant all [N/A] ------------------------------------------------

def test_power_falls_back_to_power_draw_where_instant_is_not_available(tmp_path):
    lines = (LOGS / "A100-transient.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    # The older-GPU shape: the power.draw.instant column is there, every value [N/A].
    log = tmp_path / "no-instant.csv"
    log.write_text("\n".join([header] + [row.rsplit(",", 1)[0] + ", [N/A]" for row in rows]) + "\n")
    doc, _ = run_json(["analyze", str(log), "--json"])
    assert doc["energy_j"] is not None and doc["energy_j"] > 0
    assert doc["devices"][0]["method"] == "integrated"
    assert "power_w from power.draw " in doc["provenance"]["method_note"], doc["provenance"]
    assert "power.draw.instant is not available in any row" in doc["provenance"]["method_note"]
    assert any("power.draw.instant is not available" in w for w in doc["warnings"]), doc["warnings"]


# --- item 13: implausible readings ---------------------------------------------------------

def smi_log(tmp_path, rows, name="log.csv"):
    path = tmp_path / name
    path.write_text("timestamp, index, power.draw.instant [W]\n" +
                    "".join(f"2024/01/01 {time}, 0, {watts} W\n" for time, watts in rows))
    return path


def test_negative_and_huge_watts_are_dropped_and_named(tmp_path):
    log = smi_log(tmp_path, [("00:00:00.000", 100), ("00:00:01.000", -50), ("00:00:02.000", 100000000),
                             ("00:00:03.000", 100)])
    doc, _ = run_json(["analyze", str(log), "--json"])
    assert doc["energy_j"] == pytest.approx(300.0)  # 100 W for 3 s, bridged over the bad rows
    assert doc["peak_power_w"] == pytest.approx(100.0)
    warning = next(w for w in doc["warnings"] if "plausible" in w)
    assert "line 3 (-50 W)" in warning and "line 4 (1e+08 W)" in warning, warning


def test_a_one_day_gap_is_not_integrated_across(tmp_path):
    rows = [(f"00:00:{s:02d}.000", 100) for s in range(0, 16)]
    rows += [(f"23:59:{s:02d}.000", 100) for s in range(40, 56)]
    log = smi_log(tmp_path, rows)
    doc, _ = run_json(["analyze", str(log), "--json"])
    assert doc["energy_j"] == pytest.approx(100.0 * 30)  # two 15 s stretches, not 8.6 MJ
    assert any("not integrated across" in w and "line 18" in w for w in doc["warnings"]), doc["warnings"]


def test_energy_counter_jumps_and_negative_counters_add_no_energy(tmp_path):
    trace = tmp_path / "counter.csv"
    trace.write_text("# joulebench-trace v1\n"
                     "# device index=0 id=nvml:0 sensor=nvml power_limit_w=700 cap.energy_counter=yes\n"
                     + TRACE_HEADER + "\n" +
                     "".join(f"{t / 10:.1f},0,100,{1000 + 10 * t},,,,,\n" for t in range(0, 5)) +
                     "0.5,0,100,1e300,,,,,\n0.6,0,100,-5,,,,,\n")
    doc, _ = run_json(["analyze", str(trace), "--json"])
    assert doc["energy_j"] == pytest.approx(40.0), doc
    assert any("line 9 (+1e+300 J" in w for w in doc["warnings"]), doc["warnings"]
    assert any("negative energy_counter_j ignored" in w and "line 10" in w for w in doc["warnings"])


# --- item 19: --skip-bad-lines skips only the bad row --------------------------------------

def test_one_row_out_of_order_costs_one_row_not_hundreds(tmp_path):
    lines = (LOGS / "A100-transient.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    moved = rows[:100] + [rows[500]] + rows[100:500] + rows[501:]  # row 500 written too early
    log = tmp_path / "moved.csv"
    log.write_text("\n".join([header] + moved) + "\n")
    whole, _ = run_json(["analyze", str(LOGS / "A100-transient.csv"), "--json"])
    skipped, _ = run_json(["analyze", str(log), "--json", "--skip-bad-lines"])
    assert skipped["skipped_lines"] == 1
    assert skipped["rows"] == whole["rows"] - 1
    assert skipped["energy_j"] == pytest.approx(whole["energy_j"], rel=0.01)


# --- item 20: messages ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def result_file(tmp_path_factory):
    return make_runs(tmp_path_factory.mktemp("results"))["fp16"]


@pytest.mark.parametrize("args", [
    ["report", "--template", "{dir}", "{result}"],
    ["report", "--input-trace", "{dir}", "{result}"],
    ["fleet", "--input-csv", "{dir}"],
    ["analyze", "{dir}"],
])
def test_a_directory_is_named_as_a_directory(tmp_path, result_file, args):
    args = [a.replace("{dir}", str(tmp_path)).replace("{result}", result_file) for a in args]
    result = run(args)
    assert result.returncode == 2, result.stderr
    assert first_line(result.stderr).startswith("error: ")
    assert "is a directory" in first_line(result.stderr), result.stderr


def test_a_joulebench_trace_without_its_preamble_is_not_called_an_nvidia_smi_log(tmp_path):
    trace = tmp_path / "cut.csv"
    trace.write_text(TRACE_HEADER + "\n0.0,0,100,,,,,,\n")
    result = run(["analyze", str(trace)])
    assert result.returncode == 2
    assert "nvidia-smi" not in result.stderr and "--query-gpu" not in result.stderr, result.stderr
    assert "# joulebench-trace v1" in result.stderr


@pytest.mark.parametrize("row, found", [("1,m,A100,2,300,10,extra", 7), ("1,m,A100,2,300", 5)])
def test_fleet_csv_rows_must_have_as_many_fields_as_the_header(tmp_path, row, found):
    csv = tmp_path / "history.csv"
    csv.write_text("time,model,gpu_type,gpus,power_w,tokens_per_s\n" + row + "\n")
    result = run(["fleet", "--input-csv", str(csv)])
    assert result.returncode == 2
    assert result.stderr == f"error: {csv}:2: expected 6 fields (as in the header), found {found}\n"


def test_fleet_csv_implausible_power_is_refused_with_the_line(tmp_path):
    csv = tmp_path / "history.csv"
    csv.write_text("time,model,gpu_type,gpus,power_w,tokens_per_s\n1,m,A100,2,1e308,10\n")
    result = run(["fleet", "--input-csv", str(csv)])
    assert result.returncode == 2
    assert first_line(result.stderr).startswith(f"error: {csv}:2: power_w '1e308'"), result.stderr


# --- item 17: JOULEBENCH_RESULT ------------------------------------------------------------

@pytest.mark.parametrize("content, shown", [
    ('{"tokens": -5}', "tokens: -5 is not a non-negative number"),
    ("not json", "not valid JSON: 'not json'"),
    ('{"tokens": 1e308}', "tokens: 1e+308 is not plausible"),
])
def test_a_bad_result_file_is_refused_naming_the_file_and_value(fake_nvml, content, shown):
    env = fake_nvml({"devices": [{"name": "NVIDIA H100 80GB HBM3", "power_w": 200.0,
                                  "counter_update_period_s": 0.001}]})
    script = f"echo '{content}' > \"$JOULEBENCH_RESULT\""
    result = run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--quiet", "--iterations", "1",
                  "--warmup-iterations", "0", "--", "sh", "-c", script], env=env, timeout=120)
    assert result.returncode == 2, result.stderr
    line = first_line(result.stderr)
    assert line.startswith("error: JOULEBENCH_RESULT file "), line
    assert shown in line, line
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- item 11: fleet --prometheus reads a bounded answer ------------------------------------

class HugeAnswerHandler(http.server.BaseHTTPRequestHandler):
    """Answers every query with 3 MiB of JSON."""

    def do_GET(self):
        body = b'{"status":"success","data":{"resultType":"matrix","result":[' + b" " * (3 << 20) + b"]}}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its cap, as it should

    def log_message(self, *args):
        pass


def test_fleet_caps_the_prometheus_answer_and_names_the_flag():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HugeAnswerHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        # --metrics named: the first query is the power query (auto would ask which metrics first).
        capped = run(["fleet", "--prometheus", url, "--range", "1h", "--max-answer-mib", "1", "--metrics", "joulebench"])
        raised = run(["fleet", "--prometheus", url, "--range", "1h", "--max-answer-mib", "8", "--metrics", "joulebench"])
        detected = run(["fleet", "--prometheus", url, "--range", "1h", "--max-answer-mib", "1"])
    finally:
        server.shutdown()
        server.server_close()
    assert capped.returncode == 2
    assert capped.stderr == ("error: --max-answer-mib: the answer to the power query is larger than 1 MiB; "
                             "raise --max-answer-mib, or use a longer --step or a shorter --range\n")
    assert detected.stderr.startswith("error: --max-answer-mib: the answer to the metrics detection query is larger")
    # With a higher cap the answer is read (and is simply empty).
    assert "--max-answer-mib" not in raised.stderr, raised.stderr


def test_the_catalog_board_power_bounds_a_log_without_a_power_limit(tmp_path):
    log = tmp_path / "a100.csv"
    log.write_text("timestamp, name, power.draw.instant [W]\n"
                   "2024/01/01 00:00:00.000, NVIDIA A100-SXM4-80GB, 100 W\n"
                   "2024/01/01 00:00:01.000, NVIDIA A100-SXM4-80GB, 1500 W\n"
                   "2024/01/01 00:00:02.000, NVIDIA A100-SXM4-80GB, 100 W\n")
    doc, _ = run_json(["analyze", str(log), "--json"])
    # 2 x the catalog's 400 W: 1500 W is no A100 reading.
    assert doc["energy_j"] == pytest.approx(200.0)
    assert any("(0 .. 800 W)" in w and "line 3 (1500 W)" in w for w in doc["warnings"]), doc["warnings"]
