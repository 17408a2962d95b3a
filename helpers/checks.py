"""Argument checks shared by every helper: one message format, naming the parameter and
what it may be, so that a student's typo fails at the call rather than deep inside."""

from __future__ import annotations

import numbers

import numpy as np


def integer(value, name: str, *, low: int | None = 1, high: int | None = None) -> int:
    """``value`` as an int in [low, high] (either bound None: open). Python and NumPy integers
    are accepted; bools, floats and strings are not."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer{_range(low, high)}, got {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer{_range(low, high)}, got {value!r}")
    return value


def number(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """``value`` as a finite float in the interval given by low/high (closed unless open_*)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number{_interval(low, high, open_low, open_high)}, got {value!r}"
        )
    value = float(value)
    bad = not np.isfinite(value)
    bad |= low is not None and (value <= low if open_low else value < low)
    bad |= high is not None and (value >= high if open_high else value > high)
    if bad:
        raise ValueError(
            f"{name} must be a number{_interval(low, high, open_low, open_high)}, got {value!r}"
        )
    return value


def probability(value, name: str, *, high: float = 1.0) -> float:
    """A number in [0, high] (a fraction, a noise rate)."""
    return number(value, name, low=0.0, high=high)


def numpy_generator(value, name: str = "rng") -> np.random.Generator:
    """A numpy.random.Generator (make one with np.random.default_rng(seed))."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), "
            f"got {type(value).__name__}"
        )
    return value


def torch_generator(value, name: str = "generator"):
    """A torch.Generator (make one with torch.Generator().manual_seed(seed))."""
    import torch

    if not isinstance(value, torch.Generator):
        raise TypeError(
            f"{name} must be a torch.Generator (torch.Generator().manual_seed(seed)), "
            f"got {type(value).__name__}"
        )
    return value


def one_of(value, name: str, allowed) -> object:
    """``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f" in [{low}, {high}]"
    if low is not None:
        return f" >= {low}"
    return f" <= {high}" if high is not None else ""


def _interval(low, high, open_low, open_high) -> str:
    if low is None and high is None:
        return ""
    left = "(" if open_low or low is None else "["
    right = ")" if open_high or high is None else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f" in {left}{lo}, {hi}{right}"


# -- arrays and tensors ---------------------------------------------------------------
#
# The same message format for arrays: the parameter, what it must be (kind, shape, range),
# what it was, and for a wrong kind of array the one call that converts it. Nothing is
# converted behind the caller's back: a check returns the array it was given (NumPy
# checks return np.asarray of it, which copies nothing for an array).

_KINDS = {
    "real": ("an array of real numbers", "np.asarray({x}, dtype=float)"),
    "float": ("an array of floats", "np.asarray({x}, dtype=float)"),
    "integer": ("an array of integers", "np.asarray({x}, dtype=int)"),
    "bool": ("a boolean array", "np.asarray({x}, dtype=bool)"),
}


def _describe(value) -> str:
    """What a value is, for a message: 'numpy.ndarray float64 of shape (3, 2)'."""
    module = type(value).__module__.split(".")[0]
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        kind = (
            f"{module}.{type(value).__name__}"
            if module in ("numpy", "torch")
            else (type(value).__name__)
        )
        return f"{kind} {str(dtype).replace('torch.', '')} of shape {tuple(shape)}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{type(value).__name__} {value!r:.60}"


def _shape_text(ndim, shape) -> str:
    if shape is not None:
        dims = ", ".join("any" if s is None else str(s) for s in shape)  # a str: a named size
        return f" of shape ({dims}{',' if len(shape) == 1 else ''})"
    if ndim is None:
        return ""
    if isinstance(ndim, tuple):
        return f" with {' or '.join(str(n) for n in ndim)} dimensions"
    return f" with {ndim} dimension{'s' if ndim != 1 else ''}"


def _check_shape(shape_of: tuple, name: str, what: str, ndim, shape, got: str) -> None:
    wanted = (ndim,) if isinstance(ndim, int) else ndim
    if (wanted is not None and len(shape_of) not in wanted) or (
        shape is not None
        and (
            len(shape_of) != len(shape)
            or any(isinstance(s, int) and s != t for s, t in zip(shape, shape_of))
        )
    ):
        raise ValueError(f"{name} must be {what}{_shape_text(ndim, shape)}, got {got}")


def _check_values(a: np.ndarray, name, what, finite, low, high, open_low, open_high):
    if a.size == 0:
        return
    if finite and a.dtype.kind in "fc" and not np.isfinite(a).all():
        bad = "NaN" if np.isnan(a).any() else "inf"
        raise ValueError(f"{name} must be {what} with finite entries, got a {bad} entry")
    if low is None and high is None:
        return
    values = a[np.isfinite(a)] if a.dtype.kind in "fc" else a
    if values.size == 0:
        return
    lo, hi = values.min(), values.max()
    bad = low is not None and (lo <= low if open_low else lo < low)
    bad |= high is not None and (hi >= high if open_high else hi > high)
    if bad:
        raise ValueError(
            f"{name} must be {what} with entries{_interval(low, high, open_low, open_high)}, "
            f"got entries from {lo:g} to {hi:g}"
        )


def array(
    value,
    name: str,
    *,
    kind: str = "real",
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple | None = None,
    finite: bool = True,
    low: float | None = None,
    high: float | None = None,
    open_low: bool = False,
    open_high: bool = False,
    non_empty: bool = False,
) -> np.ndarray:
    """``np.asarray(value)``, refused unless it is an array of ``kind`` ('real': any real
    numbers, bools included; 'float'; 'integer'; 'bool') with ``ndim`` dimensions (an int
    or a tuple of allowed ones) or of ``shape`` (None for any size along an axis), finite
    (NaN and inf refused, unless finite=False), in [low, high] (open_* for open ends), and
    with at least one entry if ``non_empty``. Lists, NumPy arrays and CPU torch tensors are
    all accepted (the NumPy helpers take any array-like); the dtype is not changed."""
    what, convert = _KINDS[kind]
    got = _describe(value)
    try:
        a = np.asarray(value.detach().cpu() if hasattr(value, "detach") else value)
    except (ValueError, TypeError):
        a = None
    numeric = a is not None and a.dtype.kind in "biuf"
    ok = {
        "real": numeric,
        "float": a is not None and a.dtype.kind == "f",
        "integer": a is not None and a.dtype.kind in "iu",
        "bool": a is not None and a.dtype.kind == "b",
    }[kind]
    ok |= a is not None and a.size == 0 and isinstance(value, (list, tuple))  # [] is float64
    if not ok:
        raise TypeError(
            f"{name} must be {what}{_shape_text(ndim, shape)}, got {got}: "
            f"convert it with {convert.format(x=name)}"
        )
    _check_shape(a.shape, name, what, ndim, shape, got)
    if non_empty and a.size == 0:
        raise ValueError(f"{name} must be {what} with at least one entry, got {got}")
    _check_values(a, name, what, finite, low, high, open_low, open_high)
    return a


_TORCH_KINDS = {
    "float": "torch.float32",
    "long": "torch.int64",
    "integer": "torch.int64",
    "floating": "torch.float32",
    "bool": "torch.bool",
}


def tensor(
    value,
    name: str,
    *,
    kind: str | None = "float",
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple | None = None,
    finite: bool = False,
    low: float | None = None,
    high: float | None = None,
    non_empty: bool = False,
):
    """``value`` if it is a torch.Tensor of ``kind`` ('float': float32, what the book's
    models compute in; 'floating': any float dtype; 'long' / 'integer': int64 (indices,
    class labels); 'integer' also any other integer dtype; 'bool'; None: any), with
    ``ndim`` dimensions or of ``shape``, finite entries if ``finite``, entries in [low,
    high]. A NumPy array, a list, or a tensor of another dtype is refused with the call
    that converts it (``torch.as_tensor(X, dtype=torch.float32)``)."""
    import torch

    wanted = _TORCH_KINDS.get(kind, "torch")
    what = f"a {wanted} tensor" if kind is not None else "a torch tensor"
    got = _describe(value)
    convert = f"torch.as_tensor({name}" + (f", dtype={wanted})" if kind is not None else ")")
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name} must be {what}{_shape_text(ndim, shape)}, got {got}: convert it with {convert}"
        )
    ok = {
        None: True,
        "float": value.dtype == torch.float32,
        "floating": value.dtype.is_floating_point,
        "long": value.dtype == torch.int64,
        "integer": not value.dtype.is_floating_point
        and not value.dtype.is_complex
        and value.dtype != torch.bool,
        "bool": value.dtype == torch.bool,
    }[kind]
    if not ok:
        method = {"float": ".float()", "floating": ".float()", "bool": ".bool()"}.get(
            kind, ".long()"
        )
        raise TypeError(
            f"{name} must be {what}{_shape_text(ndim, shape)}, got {got}: convert it with "
            f"{name}{method}"
        )
    _check_shape(tuple(value.shape), name, what, ndim, shape, got)
    if non_empty and value.numel() == 0:
        raise ValueError(f"{name} must be {what} with at least one entry, got {got}")
    if finite or low is not None or high is not None:
        a = value.detach().cpu().numpy() if value.dtype != torch.bfloat16 else None
        if a is not None:
            _check_values(a, name, what, finite, low, high, False, False)
    return value


def same_length(**arrays) -> int:
    """The common length (first axis) of the named arrays, e.g. same_length(X=X, y=y);
    refused with every length named when they differ."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        names = " and ".join(lengths)
        listed = ", ".join(f"{k} has {v}" for k, v in lengths.items())
        raise ValueError(f"{names} must have one length (one row per example): {listed}")
    return next(iter(lengths.values()))


def class_labels(value, name: str, n_classes: int | None = None):
    """Integer class labels (a NumPy array or a torch tensor, any shape) in [0, n_classes);
    returned as given."""
    import torch

    if isinstance(value, torch.Tensor):
        if value.dtype.is_floating_point or value.dtype.is_complex or value.dtype == torch.bool:
            raise TypeError(
                f"{name} must be integer class labels (a torch.int64 tensor), got "
                f"{_describe(value)}: convert it with {name}.long()"
            )
        values = value.detach().cpu().numpy()
    else:
        values = array(value, name, kind="integer")
    if values.size and (values.min() < 0 or (n_classes is not None and values.max() >= n_classes)):
        classes = f"[0, {n_classes})" if n_classes is not None else ">= 0"
        raise ValueError(
            f"{name} must be class labels in {classes}, got labels from {values.min()} to "
            f"{values.max()}"
        )
    return value


def probability_vectors(value, name: str, *, axis: int = -1, atol: float = 1e-4) -> np.ndarray:
    """Probability distributions along ``axis``: finite, non-negative, summing to 1 (within
    ``atol``, room for float32 round-off)."""
    p = array(value, name, kind="real", non_empty=True)
    what = f"probability distributions along axis {axis} (non-negative, summing to 1)"
    if p.ndim == 0:
        raise ValueError(f"{name} must be {what}, got a scalar {p!r}")
    if (p < 0).any():
        raise ValueError(f"{name} must be {what}, got a negative entry {p.min():g}")
    sums = p.sum(axis=axis)
    off = np.abs(sums - 1)
    if off.max() > atol:
        worst = np.ravel(sums)[np.argmax(off)]
        raise ValueError(f"{name} must be {what}, got a sum of {worst:g}")
    return p


def square(value, name: str, *, batched: bool = True) -> np.ndarray:
    """A square matrix (..., n, n) (a stack of them if ``batched``), finite."""
    A = array(value, name, kind="real", ndim=None if batched else 2)
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        shape = "(..., n, n)" if batched else "(n, n)"
        raise ValueError(f"{name} must be a square matrix of shape {shape}, got shape {A.shape}")
    return A


def symmetric(value, name: str, *, rtol: float = 1e-6, psd: bool = False) -> np.ndarray:
    """A symmetric matrix (..., n, n): |A - A^T| <= rtol * max|A|; with ``psd`` also positive
    semi-definite (no eigenvalue below -rtol * the largest |eigenvalue|, round-off)."""
    A = square(value, name)
    scale = np.abs(A).max() if A.size else 0.0
    if np.abs(A - np.swapaxes(A, -1, -2)).max(initial=0.0) > rtol * max(scale, 1e-300):
        raise ValueError(f"{name} must be a symmetric matrix (A equal to its transpose)")
    if psd and A.size:
        lam = np.linalg.eigvalsh((A + np.swapaxes(A, -1, -2)) / 2)
        if lam.min() < -max(rtol, 1e-9) * max(np.abs(lam).max(), 1e-300):
            raise ValueError(
                f"{name} must be a positive semi-definite matrix, got an eigenvalue {lam.min():.3g}"
            )
    return A


def permutation(value, name: str, n: int) -> np.ndarray:
    """A permutation of range(n): n integers, each of 0..n-1 once."""
    p = array(value, name, kind="integer", ndim=1)
    if len(p) != n or not np.array_equal(np.sort(p), np.arange(n)):
        raise ValueError(
            f"{name} must be a permutation of range({n}) (each of 0..{n - 1} once), "
            f"got {p.tolist()!r:.80}"
        )
    return p


def function(value, name: str):
    """A callable."""
    if not callable(value):
        raise TypeError(f"{name} must be a function (a callable), got {_describe(value)}")
    return value


def integers(values, name: str, *, low: int | None = 1, high: int | None = None) -> list[int]:
    """A non-empty list (or tuple) of integers, each in [low, high]: a chapter's parameter such
    as ``WIDTHS = [32, 128, 512]``."""
    if not isinstance(values, (list, tuple)) or not values:
        raise TypeError(
            f"{name} must be a non-empty list of integers{_range(low, high)}, got {values!r}"
        )
    for value in values:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be a list of integers{_range(low, high)}, got {values!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(
                f"{name} must be a list of integers{_range(low, high)}, got {values!r}"
            )
    return [int(v) for v in values]


def numbers_list(
    values, name: str, *, low: float | None = None, high: float | None = None, open_high=False
) -> list[float]:
    """A non-empty list (or tuple) of finite numbers, each in [low, high] (or [low, high))."""
    allowed = _interval(low, high, False, open_high)
    if not isinstance(values, (list, tuple)) or not values:
        raise TypeError(f"{name} must be a non-empty list of numbers{allowed}, got {values!r}")
    for value in values:
        try:
            number(value, name, low=low, high=high, open_high=open_high)
        except (TypeError, ValueError):
            kind = ValueError if isinstance(value, numbers.Real) else TypeError
            raise kind(f"{name} must be a list of numbers{allowed}, got {values!r}") from None
    return [float(v) for v in values]


def require(condition: bool, name: str, what: str) -> None:
    """A condition a parameter must meet beyond its type and range (``what`` says which, in
    the reader's words, e.g. "must be smaller than STEPS")."""
    if not condition:
        raise ValueError(f"{name} {what}")
