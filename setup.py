"""Builds the web explorer (web/, with npm) into the package, so installing the package needs no Node.

Everything else about the package is in pyproject.toml. Set LAPWING_SKIP_WEB_BUILD=1 to build
without the explorer (the HTTP API still works and `/` says how to build it).
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent.resolve()
WEB = HERE / "web"
STATIC = HERE / "src" / "lapwing" / "web" / "static"


class BuildWithExplorer(build_py):
    def run(self):
        if not os.environ.get("LAPWING_SKIP_WEB_BUILD"):
            build_explorer()
        super().run()


def build_explorer():
    if not (WEB / "package.json").is_file():
        if (STATIC / "app.js").is_file():
            return  # an sdist: the explorer was built when the sdist was made
        raise SystemExit("lapwing: web/package.json is missing: cannot build the web explorer")
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "lapwing: building from source needs Node.js and npm for the web explorer "
            "(install them, e.g. `apt-get install nodejs npm`), or set LAPWING_SKIP_WEB_BUILD=1 to build without it"
        )
    # npm ci installs exactly the lockfile; --ignore-scripts: no package runs code at install time.
    if not (WEB / "node_modules" / ".package-lock.json").is_file() or _stale(WEB):
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    subprocess.run([npm, "run", "build"], cwd=WEB, check=True)


def _stale(web):
    installed = web / "node_modules" / ".package-lock.json"
    return installed.stat().st_mtime < (web / "package-lock.json").stat().st_mtime


setup(cmdclass={"build_py": BuildWithExplorer})
