"""pyproject.toml declares every build requirement, so that a plain `pip install .` can fetch
them where the package index is reachable, and names versions the Debian 12 packages meet,
so that `--no-build-isolation` with the distribution's packages keeps working."""
import tomllib

from conftest import SOURCE_DIR


def requirement_names():
    project = tomllib.loads((SOURCE_DIR / "pyproject.toml").read_text())
    requires = project["build-system"]["requires"]
    return {entry.split(">=")[0].split("==")[0].strip(): entry for entry in requires}


def test_every_build_requirement_is_declared():
    assert set(requirement_names()) == {"setuptools", "wheel", "pybind11", "cmake"}


def test_the_cmake_requirement_is_the_one_cmakelists_asks_for():
    cmake = requirement_names()["cmake"].split(">=")[1]
    assert f"cmake_minimum_required(VERSION {cmake})" in (SOURCE_DIR / "CMakeLists.txt").read_text()


def test_setup_finds_pybind11_from_pip_and_says_what_it_builds():
    setup = (SOURCE_DIR / "setup.py").read_text()
    assert "pybind11.get_cmake_dir()" in setup  # pip's isolated environment
    assert "progress(" in setup and "flush=True" in setup
