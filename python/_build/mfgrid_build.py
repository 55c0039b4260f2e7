"""A minimal PEP 517 build backend for the mfgrid package.

pip builds a package in an isolated environment and installs the backend's requirements there
first; the usual backends (setuptools, hatchling) would have to be downloaded, which an offline
cluster or this project's CI cannot do. This backend needs only the standard library: a wheel is a
zip of the package and its metadata (PEP 427), an sdist a tar of the source (PEP 517).
"""

import base64
import hashlib
import importlib.machinery
import io
import os
import sys
import sysconfig
import tarfile
import tomllib
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # python/
PACKAGE = "mfgrid"


def _project():
    with open(os.path.join(HERE, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _metadata():
    p = _project()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {p['version']}",
             f"Summary: {p['description']}", f"Requires-Python: {p['requires-python']}",
             f"License: {p['license']['text']}"]
    lines += [f"Requires-Dist: {d}" for d in p.get("dependencies", [])]
    readme = os.path.join(HERE, p.get("readme", "README.md"))
    body = ""
    if os.path.exists(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme, encoding="utf-8") as f:
            body = "\n" + f.read()
    return "\n".join(lines) + "\n" + body


def _package_files():
    root = os.path.join(HERE, PACKAGE)
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".typed")) or name.startswith("_core"):
                path = os.path.join(directory, name)
                yield path, os.path.relpath(path, HERE).replace(os.sep, "/")


def _core_module():
    """The simulator compiled for this interpreter (mfgrid/_core<EXT_SUFFIX>, which CMake builds into
    BUILD/python/mfgrid): the file or folder MFGRID_CORE names, else the release build of this
    checkout (build/release). None when there is none: the wheel then only reads run files."""
    name = "_core" + importlib.machinery.EXTENSION_SUFFIXES[0]
    given = os.environ.get("MFGRID_CORE")
    places = [given] if given else [os.path.join(HERE, "..", "build", "release", "python", PACKAGE)]
    for place in places:
        path = os.path.join(place, name) if os.path.isdir(place) else place
        if os.path.isfile(path):
            return os.path.abspath(path), name
    if given:
        raise FileNotFoundError(f"MFGRID_CORE={given}: no {name} there (build mfgrid with CMake "
                                f"for this Python, {sys.executable})")
    print(f"mfgrid_build: no {name} in {places[0]} (build mfgrid first, or set MFGRID_CORE): "
          "this wheel reads run files but holds no simulator", file=sys.stderr)
    return None


def _wheel_tag(binary):
    if not binary:
        return "py3-none-any"
    interpreter = "cp" + sysconfig.get_config_var("py_version_nodot")
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{interpreter}-{interpreter}-{platform}"


def _wheel(wheel_directory, entries, binary=False):
    """Writes a wheel holding `entries` (archive name -> bytes) and its dist-info; `binary`: it
    holds the compiled simulator, so it is for this interpreter and platform only."""
    p = _project()
    name, version = p["name"], p["version"]
    info = f"{name}-{version}.dist-info"
    entries = dict(entries)
    tag = _wheel_tag(binary)
    entries[f"{info}/METADATA"] = _metadata().encode()
    entries[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: mfgrid_build\n" +
                                f"Root-Is-Purelib: {'false' if binary else 'true'}\n"
                                f"Tag: {tag}\n".encode())
    record = []
    for arcname, data in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arcname},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    filename = f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w",
                         zipfile.ZIP_DEFLATED) as whl:
        for arcname, data in entries.items():
            whl.writestr(arcname, data)
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    entries = {}
    for path, arcname in _package_files():
        with open(path, "rb") as f:
            entries[arcname] = f.read()
    core = _core_module()
    if core:
        with open(core[0], "rb") as f:
            entries[f"{PACKAGE}/{core[1]}"] = f.read()
    return _wheel(wheel_directory, entries, binary=core is not None)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 660: a wheel whose .pth file puts this checkout's python/ on the path."""
    return _wheel(wheel_directory, {f"{PACKAGE}.pth": (HERE + "\n").encode()})


def build_sdist(sdist_directory, config_settings=None):
    p = _project()
    base = f"{p['name']}-{p['version']}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for rel in ["pyproject.toml", "README.md", "_build/mfgrid_build.py"]:
            if os.path.exists(os.path.join(HERE, rel)):
                tar.add(os.path.join(HERE, rel), f"{base}/{rel}")
        for path, arcname in _package_files():
            tar.add(path, f"{base}/{arcname}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return filename
