#!/usr/bin/env bash
# Installs the Debian 12 packages joulebench needs, and nothing when all are present.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds what the side-by-side benchmarks use)
set -euo pipefail

packages=(
  cmake g++ ninja-build pkg-config git ca-certificates
  libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev libcurl4-openssl-dev libcpp-httplib-dev
  libyaml-cpp-dev            # models.yaml of `fleet`
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-pytest
  python3-yaml               # the Kubernetes manifests parse as YAML (tests/cli/test_deploy_rules.py)
  python3-dev pybind11-dev python3-setuptools python3-wheel python3-pip python3-venv   # Python bindings, pip install .
  clang libclang-rt-14-dev   # libFuzzer targets
  prometheus                 # promtool and a real server for the exporter's tests
  victoria-metrics           # a second Prometheus-API back end for the fleet tests
  chromium                   # headless check of the HTML report (tests/cli/test_report_html_chromium.py)
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-pandas python3-aiohttp wrk time)
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
