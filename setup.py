"""Build hook: metadata lives in setup.cfg; this file only adds the optional compiled build.

When mypy (mypyc) and a working C compiler are present, the modules listed in
mypyc_modules.txt are compiled to extension modules; otherwise the install is the pure-Python
package, and the build says so in one line (``pip install -v`` shows it; ``listguard
--version`` always says which build runs). ``LISTGUARD_PURE=1`` forces the pure build and
removes extension modules an earlier in-place build left next to the sources.

An editable install (``pip install -e .``) builds the extensions in place, next to the
sources, and writes ``scanner/_build_info.txt`` with the size and CRC-32 of each compiled source;
``scanner/_build.py`` runs the pure source of every listed module (and says so on stderr)
once any of them differs from what was compiled, so an edited source is never shadowed by a
stale extension. Re-run ``pip install -e .`` to compile the edits.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
MODULE_LIST = HERE / "mypyc_modules.txt"
MANIFEST = Path("scanner") / "_build_info.txt"
GROUP = "scanner._listguard"  # the shared library: scanner/_listguard__mypyc*.so


def say(message: str) -> None:
    print(f"listguard build: {message}", file=sys.stderr)


def listed_sources() -> list[str]:
    lines = MODULE_LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def module_name(source: str) -> str:
    return source[: -len(".py")].replace("/", ".")


def source_stamp(data: bytes) -> str:
    """Size and CRC-32, as scanner/_build.py checks them at every start."""
    import zlib

    return f"{len(data)} {zlib.crc32(data):08x}"


def remove_inplace_builds() -> None:
    """Extension modules and the manifest an earlier in-place build left in the tree."""
    suffixes = (".so", ".pyd")
    for source in listed_sources():
        stem = HERE / source[: -len(".py")]
        for found in stem.parent.glob(stem.name + ".*"):
            if found.suffix in suffixes:
                found.unlink()
    for found in (HERE / "scanner").glob("_listguard__mypyc*"):
        found.unlink()
    (HERE / MANIFEST).unlink(missing_ok=True)


def compiler_present() -> bool:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(compiler) is not None


def compiled_extensions() -> list:
    if os.environ.get("LISTGUARD_PURE"):
        remove_inplace_builds()
        say("LISTGUARD_PURE is set: pure-Python build")
        return []
    if sys.implementation.name != "cpython":
        say(f"{sys.implementation.name} is not CPython: pure-Python build")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        say("mypyc (pip install mypy) not found: pure-Python build")
        return []
    if not compiler_present():
        say("no C compiler found: pure-Python build")
        remove_inplace_builds()
        return []
    cwd = os.getcwd()
    os.chdir(HERE)  # mypyc names modules by their path relative to the working directory
    try:
        return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *listed_sources()],
                        opt_level="3", group_name=GROUP)
    except (Exception, SystemExit) as err:  # mypy exits on a type error: never fail the install
        say(f"mypyc could not compile ({type(err).__name__}: a listed module does not type-check; "
            "run mypy on it): pure-Python build")
        remove_inplace_builds()
        return []
    finally:
        os.chdir(cwd)


class OptionalBuildExt(build_ext):
    """Compile when possible; a failed compile falls back to the pure build, never fails."""

    def run(self) -> None:
        if not self.extensions:
            return
        try:
            super().run()
        except Exception as err:  # compiler errors come in several classes across setuptools versions
            say(f"compiling failed ({str(err).splitlines()[0] if str(err) else type(err).__name__}): "
                "pure-Python build")
            self.extensions = []
            if self.inplace:
                remove_inplace_builds()
            return
        self.write_manifest()
        say(f"compiled {len(listed_sources())} modules with mypyc")

    def write_manifest(self) -> None:
        target = (HERE if self.inplace else Path(self.build_lib)) / MANIFEST
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{module_name(s)} {source_stamp((HERE / s).read_bytes())}" for s in listed_sources()]
        target.write_text("# compiled with mypyc: module, source size, CRC-32\n" + "\n".join(lines) + "\n",
                          encoding="utf-8")

    def get_outputs(self) -> list[str]:
        outputs = list(super().get_outputs())
        if self.extensions and not self.inplace:
            outputs.append(str(Path(self.build_lib) / MANIFEST))
        return outputs


setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": OptionalBuildExt})
