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


def test_the_systemd_unit_chooses_its_sensor_and_lets_nvml_open_the_gpus_read_write():
    unit = (DEPLOY / "systemd" / "joulebench-exporter.service").read_text()
    exec_start = unit.split("ExecStart=", 1)[1].split("\n\n", 1)[0]
    # RAPL is root-only and the unit is not root: `auto` would report it unavailable.
    assert "--sensor nvml" in exec_start.replace("\\\n", " ")
    allowed = [line.split("=", 1)[1].split() for line in unit.splitlines()
               if line.startswith("DeviceAllow=")]
    nvidia = [rule for rule in allowed if "nvidia" in rule[0]]
    assert nvidia, allowed
    for node, access in nvidia:
        assert "r" in access and "w" in access, node  # NVML opens the nodes read-write


def test_the_daemonset_chooses_its_sensor_and_gives_the_node_name():
    manifest = (DEPLOY / "kubernetes" / "joulebench-exporter.yaml").read_text()
    args_line = next(line for line in manifest.splitlines() if "args:" in line and "exporter" in line)
    args = json.loads(args_line.split("args:", 1)[1])
    assert args[args.index("--sensor") + 1] == "nvml"
    # The exporter reads NODE_NAME for its `hostname` label (not the pod's name).
    assert "name: NODE_NAME" in manifest and "fieldPath: spec.nodeName" in manifest


def test_prometheus_operator_monitors_parse_and_select_the_exporter():
    yaml = pytest.importorskip("yaml")  # Debian's python3-yaml
    daemonset = next(d for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "joulebench-exporter.yaml").read_text())
                     if d["kind"] == "DaemonSet")
    pod_labels = daemonset["spec"]["template"]["metadata"]["labels"]
    [container] = daemonset["spec"]["template"]["spec"]["containers"]
    port_names = {port["name"] for port in container["ports"]}
    env = {entry["name"]: entry for entry in container["env"]}
    assert env["NODE_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "spec.nodeName"
    for name, kind, endpoints in [("joulebench-servicemonitor.yaml", "ServiceMonitor", "endpoints"),
                                  ("joulebench-podmonitor.yaml", "PodMonitor", "podMetricsEndpoints")]:
        [monitor] = list(yaml.safe_load_all((DEPLOY / "kubernetes" / name).read_text()))
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1" and monitor["kind"] == kind
        assert monitor["metadata"]["namespace"] == daemonset["metadata"]["namespace"]
        assert monitor["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
        [endpoint] = monitor["spec"][endpoints]
        assert endpoint["port"] in port_names and endpoint["path"] == "/metrics"
        assert endpoint["honorLabels"] is True  # the exporter's node-name `hostname` label stays
