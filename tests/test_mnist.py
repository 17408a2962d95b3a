"""The optional MNIST loader, tested on small IDX files this test writes (never the network)."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from helpers.mnist import load_mnist, read_idx


def write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08}
    header = (
        b"\x00\x00"
        + bytes([codes[array.dtype], array.ndim])
        + struct.pack(f">{array.ndim}I", *array.shape)
    )
    path.write_bytes(gzip.compress(header + array.tobytes()))


@pytest.fixture
def mirror(tmp_path):
    """A folder of tiny MNIST-format files, reachable as a file:// URL, and their MD5s."""
    source = tmp_path / "mirror"
    source.mkdir()
    rng = np.random.default_rng(0)
    checksums = {}
    for prefix, n in (("train", 5), ("t10k", 3)):
        files = {
            f"{prefix}-images-idx3-ubyte.gz": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
            f"{prefix}-labels-idx1-ubyte.gz": rng.integers(0, 10, n, dtype=np.uint8),
        }
        for name, array in files.items():
            write_idx(source / name, array)
            checksums[name] = hashlib.md5((source / name).read_bytes()).hexdigest()
    return source.as_uri() + "/", checksums, source


def test_downloads_once_and_reads_back(mirror, tmp_path):
    url, checksums, source = mirror
    cache = tmp_path / "cache"
    images, labels = load_mnist("test", cache, mirror=url, checksums=checksums)
    assert images.shape == (3, 28, 28) and labels.shape == (3,)
    assert np.array_equal(images, read_idx(source / "t10k-images-idx3-ubyte.gz"))
    assert not list(cache.glob("*.part"))
    (source / "t10k-images-idx3-ubyte.gz").unlink()  # the cache is used: no second download
    again, _ = load_mnist("test", cache, mirror=url, checksums=checksums)
    assert np.array_equal(again, images)


def test_checksum_mismatch_leaves_no_file(mirror, tmp_path):
    url, checksums, _ = mirror
    wrong = dict(checksums, **{"train-images-idx3-ubyte.gz": "0" * 32})
    with pytest.raises(ValueError, match="checksum mismatch"):
        load_mnist("train", tmp_path / "cache", mirror=url, checksums=wrong)
    assert not any((tmp_path / "cache").iterdir())


def test_offline_gives_a_clear_error(tmp_path):
    # port 9 (discard) on loopback: nothing listens, the connection is refused at once
    with pytest.raises(ConnectionError, match="could not download .*MNIST is optional"):
        load_mnist("train", tmp_path, mirror="http://127.0.0.1:9/")
    with pytest.raises(FileNotFoundError, match="download=False"):
        load_mnist("train", tmp_path, download=False)
    with pytest.raises(ValueError, match="checksums has no MD5 for 'train-images-idx3-ubyte.gz'"):
        load_mnist("train", tmp_path, checksums={})


def test_bad_split_and_bad_file(tmp_path):
    with pytest.raises(ValueError, match=r"split must be one of \['test', 'train'\]"):
        load_mnist("valid", tmp_path)
    (tmp_path / "junk").write_bytes(b"not an idx file")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "junk")
