"""The results store end to end: results are stored, listed, shown, exported, imported,
removed, resolved by id, prefix and label filter; bad databases are refused untouched."""
import json
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import BIN, DATA, run, run_json

A100 = DATA / "nvidia-smi" / "A100-transient.csv"


def monitor(db, *extra):
    result = run(["monitor", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db), *extra,
                  "--", "sleep", "0.3"])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_run(path, precision, values):
    iterations = [{"index": i, "warmup": False, "exit_code": 0, "j_per_output_token": v}
                  for i, v in enumerate(values)]
    path.write_text(json.dumps({"schema_version": 1, "kind": "run", "labels": {"precision": precision},
                                "iterations": iterations,
                                "summary": {"j_per_output_token": {"mean": sum(values) / len(values)}}}))
    return path


def test_monitor_result_is_stored_listed_and_shown(tmp_path):
    db = tmp_path / "results.db"
    document = monitor(db)
    runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    assert len(runs) == 1 and runs[0]["kind"] == "monitor" and runs[0]["status"] == "complete"
    shown, _ = run_json(["runs", "--db", str(db), "show", runs[0]["id"][:12], "--json"])
    assert shown["energy_j"] == document["energy_j"]
    table = run(["runs", "--db", str(db), "list"])
    assert runs[0]["id"] in table.stdout


def test_no_store_and_the_env_default(tmp_path):
    db = tmp_path / "results.db"
    monitor(db, "--no-store")
    assert not db.exists()
    env_db = tmp_path / "env.db"
    result = run(["monitor", "--sensor", f"replay:{A100}", "--", "true"], env={"JOULEBENCH_DB": str(env_db)})
    assert result.returncode == 0
    assert "stored as run" in result.stderr and str(env_db) in result.stderr


def test_import_export_label_filters_compare_and_rm(tmp_path):
    db = tmp_path / "results.db"
    for precision, values in (("fp16", [4.0, 4.1, 3.9]), ("nf4", [3.5, 3.6, 3.55])):
        document = write_run(tmp_path / f"{precision}.json", precision, values)
        # --db after the subcommand works as well as before it.
        assert run(["runs", "import", str(document), "--db", str(db)]).returncode == 0
    listed, _ = run_json(["runs", "--db", str(db), "list", "--label", "precision=nf4", "--json"])
    assert len(listed) == 1 and listed[0]["j_per_output_token"] == pytest.approx(3.55)
    # Label filters and ids are references for compare.
    out, _ = run_json(["compare", "--db", str(db), "precision=fp16", listed[0]["id"], "--json"])
    assert out["comparisons"][0]["verdict"].startswith("precision=nf4 uses")
    exported = tmp_path / "export.json"
    assert run(["runs", "--db", str(db), "export", "-o", str(exported)]).returncode == 0
    other = tmp_path / "other.db"
    assert run(["runs", "--db", str(other), "import", str(exported)]).returncode == 0
    again, _ = run_json(["runs", "--db", str(other), "list", "--json"])
    exported_ids = [document["run_id"] for document in json.loads(exported.read_text())]
    assert sorted(r["id"] for r in again) == sorted(exported_ids)  # ids kept
    csv = run(["runs", "--db", str(db), "export", "--format", "csv"])
    assert csv.stdout.splitlines()[0].startswith("run_id,kind,status")
    assert run(["runs", "--db", str(db), "rm", listed[0]["id"]]).returncode == 0
    remaining, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    assert [r["labels"]["precision"] for r in remaining] == ["fp16"]


def test_interrupted_monitor_is_stored_as_interrupted(tmp_path):
    db = tmp_path / "results.db"
    ready = tmp_path / "ready"
    script = f"trap 'exit 130' INT; touch {ready}; while :; do sleep 0.05; done"
    process = subprocess.Popen([str(BIN), "monitor", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db),
                                "--output", str(tmp_path / "out.json"), "--", "sh", "-c", script],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    assert [r["status"] for r in runs] == ["interrupted"]


def test_an_older_database_is_migrated(tmp_path):
    db = tmp_path / "v1.db"
    with sqlite3.connect(db) as connection:  # schema version 1 as an older joulebench wrote it
        connection.executescript("""
          CREATE TABLE runs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL,
            created_at TEXT NOT NULL, host TEXT, tool_version TEXT, subject TEXT, document TEXT NOT NULL);
          CREATE TABLE labels (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
          INSERT INTO runs VALUES ('20250101-000000-abcd', 'monitor', 'complete', '2025-01-01T00:00:00Z',
            'h', '0.1', 'sleep 1', '{"schema_version": 1, "kind": "monitor", "energy_j": 12.5}');
          PRAGMA user_version = 1;
        """)
    shown, _ = run_json(["runs", "--db", str(db), "show", "20250101", "--json"])
    assert shown["energy_j"] == 12.5
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    monitor(db)  # and it takes new runs
    runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    assert len(runs) == 2


def test_corrupt_or_newer_databases_are_refused_untouched(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database at all, just text" * 100)
    before = corrupt.read_bytes()
    result = run(["runs", "--db", str(corrupt), "list"])
    assert result.returncode == 2
    assert "not a joulebench results database" in result.stderr
    assert corrupt.read_bytes() == before
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 99")
    result = run(["runs", "--db", str(newer), "list"])
    assert result.returncode == 2 and "newer joulebench" in result.stderr


@pytest.mark.parametrize("args, word", [
    (["runs", "show", "nope"], "nope"),
    (["runs", "list", "--label", "novalue"], "--label"),
    (["compare", "no-such-run", "precision=none"], "no-such-run"),
])
def test_bad_references_are_one_line(tmp_path, args, word):
    db = tmp_path / "results.db"
    monitor(db)
    result = run([args[0], "--db", str(db), *args[1:]] if args[0] == "runs" else [*args, "--db", str(db)])
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert word in result.stderr
