"""The results store end to end: results are stored, listed, shown, exported, imported,
removed, resolved by id, prefix and label filter; bad databases are refused untouched."""
import json
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import BIN, DATA, run, run_json

A100 = DATA / "nvidia-smi" / "A100-transient.csv"


def monitor(db, *extra):
    result = run(["monitor", "-o", "-", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db), *extra,
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
    result = run(["monitor", "-o", "-", "--sensor", f"replay:{A100}", "--", "true"], env={"JOULEBENCH_DB": str(env_db)})
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


def test_an_older_database_is_migrated_by_writers_and_left_alone_by_readers(tmp_path):
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
    connection.close()
    before = db.read_bytes()
    # Readers never migrate (issue 13): they say what would.
    for args in (["list"], ["show", "20250101"], ["export"]):
        result = run(["runs", "--db", str(db), *args])
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "older joulebench" in result.stderr and "runs import" in result.stderr
    assert db.read_bytes() == before
    monitor(db)  # a writer migrates, and keeps the old runs
    with sqlite3.connect(db) as connection:
        # the current schema: 3 (calibrations) since issue 15
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 3
        assert connection.execute("SELECT count(*) FROM calibrations").fetchone()[0] == 0
    connection.close()
    shown, _ = run_json(["runs", "--db", str(db), "show", "20250101", "--json"])
    assert shown["energy_j"] == 12.5
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


def import_runs(db, *documents):
    return run(["runs", "--db", str(db), "import", *map(str, documents)])


def test_parallel_writers_set_up_a_new_database_once(tmp_path):
    # Issue 13: ten `monitor --db new.db` at once stored 9 ("table runs already exists").
    for attempt in range(3):
        db = tmp_path / f"new-{attempt}.db"
        documents = [write_run(tmp_path / f"r{attempt}-{i}.json", f"p{i}", [1.0 + i, 1.5 + i]) for i in range(10)]
        processes = [subprocess.Popen([str(BIN), "runs", "--db", str(db), "import", str(document)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for document in documents]
        outcomes = [(process.wait(timeout=60), process.communicate()[1]) for process in processes]
        assert [code for code, _ in outcomes] == [0] * 10, outcomes
        runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
        assert len(runs) == 10


def test_another_applications_database_is_refused_untouched(tmp_path):
    places = tmp_path / "places.sqlite"
    connection = sqlite3.connect(places)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    connection.commit()
    connection.close()
    before = places.read_bytes()
    document = write_run(tmp_path / "run.json", "fp16", [4.0, 4.1])
    for args in (["runs", "--db", str(places), "list"],
                 ["runs", "--db", str(places), "import", str(document)],
                 ["monitor", "-o", "-", "--sensor", f"replay:{A100}", "--quiet", "--db", str(places), "--", "true"]):
        result = run(args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
        assert "not a joulebench results database" in result.stderr and "moz_places" in result.stderr
        assert places.read_bytes() == before  # no tables added, not switched to WAL
        assert not Path(f"{places}-wal").exists()


def test_reading_commands_never_write_the_database(tmp_path):
    db = tmp_path / "results.db"
    assert import_runs(db, write_run(tmp_path / "run.json", "fp16", [4.0, 4.1])).returncode == 0
    (stored,), _ = run_json(["runs", "--db", str(db), "list", "--json"])
    connection = sqlite3.connect(db)  # as a copy made with sqlite3 would be: rollback journal
    assert connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    connection.close()
    before = db.read_bytes()
    for args in (["runs", "--db", str(db), "list"], ["runs", "--db", str(db), "show", stored["id"]],
                 ["runs", "--db", str(db), "export"], ["report", stored["id"], "--db", str(db), "--format", "json"]):
        result = run(args)
        assert result.returncode == 0, (args, result.stderr)
    assert db.read_bytes() == before
    missing = tmp_path / "missing.db"
    for args in (["runs", "--db", str(missing), "list"], ["report", "20260101", "--db", str(missing)]):
        assert run(args).returncode == 2
    assert not missing.exists()


def test_a_database_that_cannot_be_written_can_be_read(tmp_path):
    # Issue 13: runs list/show/export and report failed with "attempt to write a readonly
    # database". Root writes anyway, so as root the readers run as nobody.
    directory = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        db = directory / "results.db"
        assert import_runs(db, write_run(tmp_path / "run.json", "fp16", [4.0, 4.1])).returncode == 0
        assert not Path(f"{db}-wal").exists()
        db.chmod(0o444)
        directory.chmod(0o555)
        as_reader = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
        listed = run(["runs", "--db", str(db), "list", "--json"], **as_reader)
        assert listed.returncode == 0, listed.stderr
        (stored,) = json.loads(listed.stdout)
        for args in (["runs", "--db", str(db), "show", stored["id"]], ["runs", "--db", str(db), "export"],
                     ["report", stored["id"], "--db", str(db), "--format", "json"]):
            result = run(args, **as_reader)
            assert result.returncode == 0, (args, result.stderr)
    finally:
        directory.chmod(0o755)
        shutil.rmtree(directory)


def test_importing_an_export_twice_changes_nothing(tmp_path):
    # Issue 12: a second import duplicated every run under new ids, and compare then pooled
    # them (false significance).
    db = tmp_path / "results.db"
    first = write_run(tmp_path / "fp16.json", "fp16", [4.0, 4.1, 3.9])
    second = write_run(tmp_path / "nf4.json", "nf4", [3.5, 3.6, 3.55])
    assert import_runs(db, first).returncode == 0
    assert import_runs(db, second).returncode == 0
    exported = tmp_path / "export.json"
    assert run(["runs", "--db", str(db), "export", "-o", str(exported)]).returncode == 0
    ids = sorted(document["run_id"] for document in json.loads(exported.read_text()))
    for source in (exported, exported, first):  # the export twice, and the original file
        again = import_runs(db, source)
        assert again.returncode == 0, again.stderr
        assert "already in the store, skipped" in again.stderr
        assert "imported 0 run(s)" in again.stderr
    runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    assert sorted(r["id"] for r in runs) == ids
    # Into another store the export brings its ids along, once.
    other = tmp_path / "other.db"
    for _ in range(2):
        assert import_runs(other, exported).returncode == 0
    runs, _ = run_json(["runs", "--db", str(other), "list", "--json"])
    assert sorted(r["id"] for r in runs) == ids


def test_an_id_held_by_another_run_is_not_reused(tmp_path):
    db = tmp_path / "results.db"
    first = write_run(tmp_path / "a.json", "a", [1.0, 1.1])
    assert import_runs(db, first).returncode == 0
    (stored,), _ = run_json(["runs", "--db", str(db), "list", "--json"])
    other = json.loads(write_run(tmp_path / "b.json", "b", [2.0, 2.1]).read_text())
    other["run_id"] = stored["id"]
    (tmp_path / "clash.json").write_text(json.dumps(other))
    result = import_runs(db, tmp_path / "clash.json")
    assert result.returncode == 0 and "belongs to another run" in result.stderr
    again = import_runs(db, tmp_path / "clash.json")
    assert "already in the store" in again.stderr
    runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    assert sorted(r["labels"]["precision"] for r in runs) == ["a", "b"]


@pytest.mark.parametrize("document, field", [
    ({"schema_version": 1, "kind": "nope"}, '"kind": "nope"'),
    ({"schema_version": 99, "kind": "run", "iterations": []}, '"schema_version": 99'),
    ({"schema_version": "1", "kind": "run", "iterations": []}, '"schema_version": "1"'),
    ({"kind": "run", "iterations": []}, '"schema_version": missing'),
    ({"schema_version": 1, "kind": "run"}, '"iterations": missing'),
    ({"schema_version": 1, "kind": "bench-openai", "levels": {}}, '"levels": {}'),
    ({"schema_version": 1, "kind": "run", "iterations": [], "labels": ["x"]}, '"labels": ["x"]'),
    ({"schema_version": 1, "kind": "run", "iterations": [], "run_id": 7}, '"run_id": 7'),
    ([{"schema_version": 1, "kind": "run", "iterations": []}, 5], "document 2: not a JSON object"),
])
def test_import_checks_every_document(tmp_path, document, field):
    db = tmp_path / "results.db"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(document))
    result = import_runs(db, source)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: {source}: ") and len(result.stderr.strip().splitlines()) == 1
    assert field in result.stderr
    if db.exists():  # nothing of a refused file is stored
        assert run_json(["runs", "--db", str(db), "list", "--json"])[0] == []


def test_output_paths_that_are_not_regular_files_are_written_in_place(tmp_path):
    # Issue 13: -o renamed a temporary file over whatever was at the path (/dev/null as root).
    db = tmp_path / "results.db"
    assert import_runs(db, write_run(tmp_path / "run.json", "fp16", [4.0, 4.1])).returncode == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        result = run(["runs", "--db", str(db), "export", "-o", str(fifo)], timeout=30)
        received, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()
    assert result.returncode == 0, result.stderr
    assert json.loads(received)[0]["kind"] == "run"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    # A symlink is followed: the target is written and the link stays.
    target = tmp_path / "target.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to("target.json")
    assert run(["runs", "--db", str(db), "export", "-o", str(link)]).returncode == 0
    assert link.is_symlink() and json.loads(target.read_text())[0]["kind"] == "run"
    # A character device stays one: a null device of our own where we may make one (root), so
    # that a broken build replaces that one and not the machine's /dev/null.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        if os.geteuid() == 0:
            pytest.skip("root without mknod: not risking /dev/null")
        device = Path("/dev/null")  # not replaceable without root
    result = run(["monitor", "--sensor", f"replay:{A100}", "--quiet", "--no-store", "-o", str(device), "--", "true"])
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)


def limit_memory():
    # A reader of /dev/full gets endless zero bytes: a regression must fail, not fill the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_a_failed_trace_is_reported_and_the_measurement_kept(tmp_path):
    # Issue 13: on a full disk `monitor --trace t.csv` exited 0 with a cut trace, and stored it.
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    db = tmp_path / "results.db"
    out = tmp_path / "out.json"
    result = run(["monitor", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db), "-o", str(out),
                  "--trace", "/dev/full", "--", "sleep", "0.3"], preexec_fn=limit_memory)
    assert result.returncode == 1, result.stderr
    assert "error: --trace: trace incomplete" in result.stderr and os.strerror(28) in result.stderr
    document = json.loads(out.read_text())  # the measurement is kept
    assert document["energy_j"] is not None
    assert any("trace incomplete" in warning for warning in document["warnings"])
    (stored,), _ = run_json(["runs", "--db", str(db), "list", "--json"])
    shown = run(["runs", "--db", str(db), "show", stored["id"]])
    assert "trace stored" not in shown.stdout
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
