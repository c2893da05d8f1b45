"""Builds joulebench._native with CMake for `pip install --no-build-isolation .`.

Only the `_native` target is built (no tests, no benchmarks), in build-pip/ so that the
CMake build directories of scripts/test.sh are left alone; nothing is downloaded.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version():
    """The version in CMakeLists.txt's project(), so there is one place to bump it."""
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(joulebench VERSION ([0-9.]+)", text).group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


def progress(message):
    """A line on stderr and flushed: `pip install -v .` shows it as it happens."""
    print(f"joulebench: {message}", file=sys.stderr, flush=True)


def pybind11_cmake_dir():
    """pybind11's CMake files when pybind11 is a Python package (pip's isolated build
    environment); None to let CMake find Debian's pybind11-dev."""
    try:
        import pybind11
    except ImportError:
        return None
    return pybind11.get_cmake_dir()


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(self.build_temp).resolve() / "cmake"
        configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir),
                     "-DCMAKE_BUILD_TYPE=Release", "-DJOULEBENCH_TESTS=OFF",
                     "-DJOULEBENCH_BENCH=OFF", "-DJOULEBENCH_PYTHON=ON",
                     # The interpreter running pip (a venv's), for its headers and ABI tag.
                     f"-DPython3_EXECUTABLE={sys.executable}"]
        if pybind11_cmake_dir():
            configure.append(f"-Dpybind11_DIR={pybind11_cmake_dir()}")
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        progress(f"configuring with CMake in {build_dir}")
        subprocess.run(configure, check=True)
        # JB_PYTHON_EXECUTABLE is set only when python/CMakeLists.txt found pybind11.
        if "JB_PYTHON_EXECUTABLE:INTERNAL" not in (build_dir / "CMakeCache.txt").read_text():
            sys.exit("joulebench: CMake found no pybind11 or Python headers "
                     "(apt-get install pybind11-dev python3-dev)")
        jobs = os.cpu_count() or 1
        progress(f"compiling the C++ core and the _native module with {jobs} jobs "
                 "(a few minutes on 2 cores; CMake prints each step)")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_native",
                        "-j", str(jobs)], check=True)
        built = next((build_dir / "python" / "joulebench").glob("_native*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)
        progress(f"built {target.name}")


setup(
    version=project_version(),
    package_dir={"": "python"},
    packages=["joulebench"],
    package_data={"joulebench": ["py.typed", "*.pyi"]},
    ext_modules=[CMakeExtension("joulebench._native")],
    cmdclass={"build_ext": CMakeBuild},
    # Not build/: that is the CMake build directory of the README and scripts/test.sh.
    options={"build": {"build_base": "build-pip"}},
    zip_safe=False,
)
