from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from anb.storage import InvalidKey, ObjectNotFound, StorageError, StorageUnavailable
from anb.storage.local import LocalStorage
from tests.storage.conftest import SIGNING_SECRET

KEY = "videos/12/original.mp4"


def write_temp(storage: LocalStorage, data: bytes) -> Path:
    path = storage.new_temp_path(".mp4")
    path.write_bytes(data)
    return path


def signed_parts(url: str) -> tuple[str, str, str, str | None]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    filename = query.get("filename", [None])[0]
    return parts.path.removeprefix("/media/"), query["exp"][0], query["sig"][0], filename


def test_save_is_a_rename_of_the_temp_file(local_storage: LocalStorage) -> None:
    temp = write_temp(local_storage, b"clip")
    inode = temp.stat().st_ino

    local_storage.save_file(KEY, temp, "video/mp4")

    stored = local_storage.resolve(KEY)
    assert not temp.exists()
    assert stored.stat().st_ino == inode, "the bytes were copied instead of renamed"
    assert stored.read_bytes() == b"clip"
    assert stored.parent.parent.parent == local_storage.root


def test_save_replaces_an_existing_object(local_storage: LocalStorage) -> None:
    local_storage.save_file(KEY, write_temp(local_storage, b"old"), "video/mp4")
    local_storage.save_file(KEY, write_temp(local_storage, b"new"), "video/mp4")
    assert local_storage.resolve(KEY).read_bytes() == b"new"


def test_save_from_another_filesystem_copies_then_removes_the_source(local_storage: LocalStorage) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == local_storage.root.stat().st_dev:
        pytest.skip("no second filesystem to copy from")
    source = shm / f"anb-storage-test-{os.getpid()}.mp4"
    source.write_bytes(b"x" * 100_000)
    try:
        local_storage.save_file(KEY, source, "video/mp4")
    finally:
        leftover = source.exists()
        source.unlink(missing_ok=True)
    assert not leftover
    assert local_storage.resolve(KEY).read_bytes() == b"x" * 100_000
    assert list(local_storage.temp_dir.iterdir()) == []


def test_save_of_a_missing_file_fails_and_stores_nothing(local_storage: LocalStorage, tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        local_storage.save_file(KEY, tmp_path / "absent.mp4", "video/mp4")
    assert not local_storage.exists(KEY)


def test_temp_file_is_removed_unless_saved(local_storage: LocalStorage) -> None:
    with local_storage.temp_file(".mp4") as rejected:
        rejected.write_bytes(b"not a video")
    with local_storage.temp_file(".mp4") as accepted:
        accepted.write_bytes(b"video")
        local_storage.save_file(KEY, accepted, "video/mp4")
    assert not rejected.exists()
    assert list(local_storage.temp_dir.iterdir()) == []
    assert local_storage.exists(KEY)


def test_read_download_size_and_exists(local_storage: LocalStorage, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    local_storage.save_file(KEY, write_temp(local_storage, data), "video/mp4")

    with local_storage.open_read(KEY) as stream:
        chunks = iter(lambda: stream.read(65536), b"")
        assert b"".join(chunks) == data
    local_storage.download_to(KEY, tmp_path / "copy.mp4")

    assert (tmp_path / "copy.mp4").read_bytes() == data
    assert local_storage.size(KEY) == len(data)
    assert local_storage.exists(KEY)


def test_missing_objects_raise_object_not_found(local_storage: LocalStorage, tmp_path: Path) -> None:
    local_storage.save_file(KEY, write_temp(local_storage, b"v"), "video/mp4")
    for key in ("videos/99/original.mp4", "videos/12"):  # absent, and a folder rather than an object
        assert not local_storage.exists(key)
        with pytest.raises(ObjectNotFound):
            local_storage.size(key)
        with pytest.raises(ObjectNotFound), local_storage.open_read(key):
            pass
        with pytest.raises(ObjectNotFound):
            local_storage.download_to(key, tmp_path / "copy.mp4")


def test_delete_is_idempotent(local_storage: LocalStorage) -> None:
    local_storage.save_file(KEY, write_temp(local_storage, b"v"), "video/mp4")
    local_storage.delete(KEY)
    local_storage.delete(KEY)
    local_storage.delete("videos/12")
    assert not local_storage.exists(KEY)


def test_delete_prefix_removes_one_video_folder_only(local_storage: LocalStorage) -> None:
    for key in ("videos/12/original.mp4", "videos/12/hls/seg1.ts", "videos/123/original.mp4"):
        local_storage.save_file(key, write_temp(local_storage, b"v"), "video/mp4")

    local_storage.delete_prefix("videos/12")
    local_storage.delete_prefix("videos/12/")
    local_storage.delete_prefix("videos/404")

    assert not local_storage.resolve("videos/12").exists()
    assert local_storage.exists("videos/123/original.mp4")
    with pytest.raises(InvalidKey):
        local_storage.delete_prefix("")


def test_signed_url_verifies_until_it_expires(local_storage: LocalStorage) -> None:
    url = local_storage.url(KEY, expires_in=600)
    key, exp, sig, filename = signed_parts(url)

    assert url.startswith("/media/videos/12/original.mp4?")
    assert key == KEY and filename is None
    assert abs(int(exp) - (time.time() + 600)) < 5
    assert local_storage.verify_signed(key, exp, sig)
    assert local_storage.verify_signed(key, int(exp), sig, now=int(exp))
    assert not local_storage.verify_signed(key, exp, sig, now=int(exp) + 1)


def test_tampered_signed_urls_are_refused(local_storage: LocalStorage) -> None:
    key, exp, sig, _ = signed_parts(local_storage.url(KEY, expires_in=600))
    other = LocalStorage(local_storage.root, b"another-secret-of-enough-length")

    assert not local_storage.verify_signed("videos/13/original.mp4", exp, sig)
    assert not local_storage.verify_signed(key, str(int(exp) + 3600), sig)
    assert not local_storage.verify_signed(key, exp, sig[:-1] + ("A" if sig[-1] != "A" else "B"))
    assert not local_storage.verify_signed(key, exp, "")
    assert not local_storage.verify_signed(key, "soon", sig)
    assert not local_storage.verify_signed(key, exp, sig, filename="other.mp4")
    assert not other.verify_signed(key, exp, sig)


def test_signed_url_binds_the_offered_filename(local_storage: LocalStorage) -> None:
    key, exp, sig, filename = signed_parts(local_storage.url(KEY, expires_in=60, filename="Mi jugada ñ.mp4"))
    assert filename == "Mi jugada ñ.mp4"
    assert local_storage.verify_signed(key, exp, sig, filename=filename)
    assert not local_storage.verify_signed(key, exp, sig)


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "videos/../../secret", ".tmp/upload.mp4", "videos/1/"])
def test_keys_cannot_escape_the_root(local_storage: LocalStorage, key: str) -> None:
    with pytest.raises(InvalidKey):
        local_storage.resolve(key)
    with pytest.raises(InvalidKey):
        local_storage.url(key, expires_in=60)
    assert not local_storage.verify_signed(key, str(int(time.time()) + 60), "sig")


def test_url_lifetime_is_bounded(local_storage: LocalStorage) -> None:
    for expires_in in (0, -1, 8 * 24 * 3600):
        with pytest.raises(ValueError):
            local_storage.url(KEY, expires_in=expires_in)


def test_short_signing_secrets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalStorage(tmp_path, b"short")


def test_check_passes_on_a_writable_root_and_fails_otherwise(local_storage: LocalStorage) -> None:
    local_storage.check()
    local_storage.temp_dir.rmdir()
    local_storage.temp_dir.write_bytes(b"")  # a file where the temp folder should be
    with pytest.raises(StorageUnavailable):
        local_storage.check()


def test_url_prefix_is_configurable(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path, SIGNING_SECRET, url_prefix="/files/")
    assert storage.url(KEY, expires_in=60).startswith("/files/videos/12/original.mp4?exp=")
