"""The shipped Prometheus rules: promtool checks them and runs their unit tests."""
import json
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR

DEPLOY = SOURCE_DIR / "deploy"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None,
                                    reason="promtool not installed (Debian package prometheus)")


@needs_promtool
def test_rules_pass_promtool_check():
    result = subprocess.run([PROMTOOL, "check", "rules", str(DEPLOY / "prometheus" / "joulebench-rules.yml")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr


@needs_promtool
def test_alert_unit_tests_pass():
    result = subprocess.run([PROMTOOL, "test", "rules", "joulebench-rules.test.yml"],
                            cwd=DEPLOY / "prometheus", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_queries_what_the_exporter_and_rules_publish():
    dashboard = json.loads((DEPLOY / "grafana" / "joulebench.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    rules = (DEPLOY / "prometheus" / "joulebench-rules.yml").read_text()
    assert len(exprs) >= 8
    for expr in exprs:
        recorded = [word for word in expr.replace("{", " ").split() if word.startswith("joulebench:")]
        assert "joulebench_" in expr or recorded, expr
        for name in recorded:
            assert f"record: {name}" in rules, name
