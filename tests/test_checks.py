"""helpers.checks: one message format for arrays and tensors (the parameter, what it may be,
what it got, and how to convert a wrong kind of array)."""

import numpy as np
import pytest
import torch

from helpers import checks

NAN = float("nan")


def test_array_accepts_lists_arrays_and_tensors_unchanged():
    a = np.arange(3.0)
    assert checks.array(a, "x") is a  # no copy, no dtype change
    assert checks.array([1, 2], "x").dtype.kind == "i"
    assert np.array_equal(checks.array(torch.arange(3), "x"), [0, 1, 2])


def test_array_kind_says_how_to_convert():
    with pytest.raises(TypeError, match=r"x must be an array of real numbers.*np.asarray\(x"):
        checks.array(["a", "b"], "x")
    with pytest.raises(TypeError, match=r"ids must be an array of integers.*dtype=int"):
        checks.array([0.5], "ids", kind="integer")
    with pytest.raises(TypeError, match=r"mask must be a boolean array.*dtype=bool"):
        checks.array([0.5], "mask", kind="bool")
    with pytest.raises(TypeError, match="x must be an array"):
        checks.array([[1, 2], [3]], "x")  # ragged


def test_array_shape_and_ndim():
    with pytest.raises(ValueError, match="x must be an array of real numbers with 2 dimensions"):
        checks.array(np.ones(3), "x", ndim=2)
    with pytest.raises(ValueError, match=r"with 1 or 2 dimensions"):
        checks.array(np.ones((1, 1, 1)), "x", ndim=(1, 2))
    with pytest.raises(ValueError, match=r"of shape \(any, 2\)"):
        checks.array(np.ones((3, 3)), "x", shape=(None, 2))
    checks.array(np.ones((3, 2)), "x", shape=(None, 2))


def test_array_finite_and_range_and_non_empty():
    with pytest.raises(ValueError, match="x must be .* with finite entries, got a NaN entry"):
        checks.array([1.0, NAN], "x")
    with pytest.raises(ValueError, match="got a inf entry"):
        checks.array([np.inf], "x")
    checks.array([NAN], "x", finite=False)
    with pytest.raises(ValueError, match=r"x must be .* with entries in \[0, 1\], got entries"):
        checks.array([0.5, 2.0], "x", low=0, high=1)
    with pytest.raises(ValueError, match=r"in \(0, inf\)"):
        checks.array([0.0], "x", low=0, open_low=True)
    with pytest.raises(ValueError, match="x must be .* with at least one entry"):
        checks.array([], "x", non_empty=True)


def test_tensor_refuses_numpy_and_wrong_dtypes_with_the_conversion():
    with pytest.raises(TypeError, match=r"X must be a torch.float32 tensor.*torch.as_tensor\(X"):
        checks.tensor(np.zeros(3), "X")
    with pytest.raises(TypeError, match=r"X must be a torch.float32 tensor.*X.float\(\)"):
        checks.tensor(torch.zeros(3, dtype=torch.float64), "X")
    with pytest.raises(TypeError, match=r"y must be a torch.int64 tensor.*y.long\(\)"):
        checks.tensor(torch.zeros(3), "y", kind="long")
    with pytest.raises(ValueError, match=r"X must be a torch.float32 tensor with 2 dimensions"):
        checks.tensor(torch.zeros(3), "X", ndim=2)
    with pytest.raises(ValueError, match="finite"):
        checks.tensor(torch.tensor([NAN]), "X", finite=True)
    with pytest.raises(ValueError, match=r"entries in \[0, 4\]"):
        checks.tensor(torch.tensor([5]), "pairs", kind="integer", low=0, high=4)
    t = torch.zeros(2, 3)
    assert checks.tensor(t, "X", shape=(None, 3)) is t


def test_same_length_names_every_array():
    assert checks.same_length(X=np.zeros(3), y=[1, 2, 3]) == 3
    with pytest.raises(ValueError, match="X and y must have one length.*X has 3, y has 2"):
        checks.same_length(X=np.zeros(3), y=[1, 2])


def test_class_labels():
    checks.class_labels(torch.tensor([0, 2]), "y", 3)
    checks.class_labels(np.array([0, 2]), "y", 3)
    with pytest.raises(TypeError, match=r"y must be integer class labels.*y.long\(\)"):
        checks.class_labels(torch.tensor([0.0]), "y", 3)
    with pytest.raises(ValueError, match=r"y must be class labels in \[0, 3\), got labels from"):
        checks.class_labels(torch.tensor([0, 3]), "y", 3)
    with pytest.raises(ValueError, match=r"y must be class labels in \[0, 3\)"):
        checks.class_labels(np.array([-1, 0]), "y", 3)


def test_probability_vectors():
    checks.probability_vectors([[0.5, 0.5], [1.0, 0.0]], "p")
    with pytest.raises(ValueError, match="p must be probability distributions.*negative entry"):
        checks.probability_vectors([1.5, -0.5], "p")
    with pytest.raises(ValueError, match="q must be probability distributions.*a sum of 2"):
        checks.probability_vectors([1, 1], "q")
    with pytest.raises(ValueError, match="finite"):
        checks.probability_vectors([NAN, 1.0], "p")


def test_symmetric_and_psd():
    checks.symmetric(np.eye(2), "A", psd=True)
    with pytest.raises(ValueError, match="A must be a square matrix"):
        checks.symmetric(np.ones((2, 3)), "A")
    with pytest.raises(ValueError, match="A must be a symmetric matrix"):
        checks.symmetric(np.array([[1.0, 1.0], [0.0, 1.0]]), "A")
    with pytest.raises(ValueError, match="A must be a positive semi-definite matrix"):
        checks.symmetric(-np.eye(2), "A", psd=True)


def test_permutation():
    assert checks.permutation([2, 0, 1], "p", 3).tolist() == [2, 0, 1]
    for bad in ([0, 0, 1], [0, 1], [0, 1, 3]):
        with pytest.raises(ValueError, match=r"p must be a permutation of range\(3\)"):
            checks.permutation(bad, "p", 3)
    with pytest.raises(TypeError, match="p must be an array of integers"):
        checks.permutation([0.0, 1.0, 2.0], "p", 3)


def test_function():
    assert checks.function(len, "f") is len
    with pytest.raises(TypeError, match="stop must be a function"):
        checks.function(5, "stop")


def test_a_chapters_list_parameters_and_conditions():
    assert checks.integers([32, 128], "WIDTHS") == [32, 128]
    assert checks.numbers_list((0.0, 0.5), "FLIPS", low=0, high=0.5) == [0.0, 0.5]
    with pytest.raises(TypeError, match=r"WIDTHS must be a non-empty list of integers >= 1"):
        checks.integers([], "WIDTHS")
    with pytest.raises(TypeError, match="WIDTHS must be a list of integers"):
        checks.integers([32, 1.5], "WIDTHS")
    with pytest.raises(ValueError, match=r"WIDTHS must be a list of integers >= 1, got \[32, 0\]"):
        checks.integers([32, 0], "WIDTHS")
    with pytest.raises(ValueError, match=r"FLIPS must be a list of numbers in \[0, 0.5\]"):
        checks.numbers_list([0.0, 0.7], "FLIPS", low=0, high=0.5)
    with pytest.raises(ValueError, match="FLIPS must be a list of numbers"):
        checks.numbers_list([float("nan")], "FLIPS")
    with pytest.raises(TypeError, match="FLIPS must be a list of numbers"):
        checks.numbers_list(["a"], "FLIPS")
    with pytest.raises(ValueError, match="EARLY must be at most STEPS"):
        checks.require(False, "EARLY", "must be at most STEPS")
    checks.require(True, "EARLY", "never raised")
