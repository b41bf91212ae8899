"""Answers on the wire: a JSON-safe encoding, its decoding, and a safe parser for typed text.

``submit`` encodes the learner's answer in the kernel; the grader decodes it in its own process.
Decoding never raises and never evaluates code: whatever a notebook emits becomes a plain
number array, a string, ``None``, :class:`ProbeValues` or :class:`Opaque`.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "MIME_TYPE",
    "Opaque",
    "ProbeValues",
    "encode_answer",
    "decode_answer",
    "evaluate_at_probes",
    "parse_text",
]

#: The MIME type of the answer bundle ``submit`` emits and ``calcml-grade`` reads.
MIME_TYPE = "application/vnd.calcml.answer+json"

_MAX_ITEMS = 10_000  # larger answers are not read (no exercise needs them)


@dataclass(frozen=True)
class Opaque:
    """An answer that is neither a number, an array, text nor ``None`` (e.g. a dict)."""

    typename: str
    text: str


@dataclass(frozen=True)
class ProbeValues:
    """What a learner's function returned at each probe: a value or an error message.

    Attributes
    ----------
    values : tuple
        One entry per probe: a float array (or an :class:`Opaque`/string for a non-numeric
        return value), or ``None`` where the call raised.
    errors : tuple of (str or None)
        ``"TypeError: ..."`` where the call raised, else ``None``.
    name : str
        The function's name, for messages.
    """

    values: tuple[Any, ...]
    errors: tuple[str | None, ...]
    name: str = "your function"


def _encode_float(x: float) -> float | str:
    return float(x) if math.isfinite(x) else str(float(x))  # "nan", "inf", "-inf"


def _encode_value(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {"type": "none"}
    if isinstance(obj, (bool, np.bool_)):
        return {"type": "bool", "value": bool(obj)}
    if isinstance(obj, str):
        return {"type": "text", "value": obj[:_MAX_ITEMS]}
    if isinstance(obj, (complex, np.complexfloating)):
        return {"type": "other", "typename": "complex", "text": repr(obj)[:200]}
    try:
        arr = np.asarray(obj)
        if arr.dtype.kind in "biuf":
            arr = arr.astype(float)
        else:  # e.g. sympy numbers, lists mixing ints and floats of dtype object
            arr = np.asarray(obj, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return {"type": "other", "typename": type(obj).__name__, "text": repr(obj)[:200]}
    if arr.size > _MAX_ITEMS:
        return {"type": "other", "typename": "array", "text": f"array of shape {arr.shape}"}
    return {
        "type": "array",
        "shape": list(arr.shape),
        "data": [_encode_float(v) for v in arr.ravel().tolist()],
    }


def _call_at_probes(func: Any, probes: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for args in probes:
        try:
            out = func(*args)
        except Exception as exc:  # noqa: BLE001 - any learner error becomes a message
            results.append({"error": f"{type(exc).__name__}: {exc}"[:300]})
        else:
            results.append({"value": _encode_value(out)})
    name = getattr(func, "__name__", "your function")
    return {"type": "function", "name": str(name)[:100], "results": results}


def evaluate_at_probes(func: Any, probes: Sequence[tuple[Any, ...]]) -> ProbeValues:
    """Call ``func(*args)`` for each probe, catching any exception.

    Parameters
    ----------
    func : callable
        The learner's function.
    probes : sequence of tuple
        Argument tuples.

    Returns
    -------
    ProbeValues
        The values as the grader will see them (encoded, then decoded).

    Examples
    --------
    >>> pv = evaluate_at_probes(lambda x: 1 / x, [(2.0,), (0.0,)])
    >>> pv.values[0], pv.errors[1]
    (array(0.5), 'ZeroDivisionError: float division by zero')
    """
    return _decode_value(_call_at_probes(func, probes))


def encode_answer(answer: Any, probes: Sequence[tuple[Any, ...]] = ()) -> dict[str, Any]:
    """Encode an answer as JSON-safe data.

    Parameters
    ----------
    answer : object
        Whatever the learner gave. A callable is evaluated at ``probes`` (when there are any).
    probes : sequence of tuple, optional
        Argument tuples for ``"function"`` exercises.

    Returns
    -------
    dict
        ``{"type": ..., ...}``: ``none``, ``bool``, ``text``, ``array`` (``shape``, flat
        ``data`` with non-finite numbers as ``"nan"``/``"inf"``/``"-inf"``), ``function``
        (``name``, ``results``: one ``{"value": ...}`` or ``{"error": ...}`` per probe) or
        ``other``.

    Examples
    --------
    >>> encode_answer([1, float("nan")])
    {'type': 'array', 'shape': [2], 'data': [1.0, 'nan']}
    >>> encode_answer(None)
    {'type': 'none'}
    """
    if callable(answer) and not isinstance(answer, type):
        if probes:
            return _call_at_probes(answer, probes)
        name = getattr(answer, "__name__", type(answer).__name__)
        return {"type": "other", "typename": "function", "text": f"function {name}"}
    return _encode_value(answer)


def _decode_float(x: Any) -> float:
    if isinstance(x, bool):
        raise TypeError("bool")
    if isinstance(x, (int, float)):
        return float(x)
    if x in ("nan", "inf", "-inf"):
        return float(x)
    raise TypeError(f"not a number: {x!r}")


def _decode_value(enc: Any) -> Any:
    if not isinstance(enc, dict):
        return Opaque("unreadable", repr(enc)[:200])
    kind = enc.get("type")
    if kind == "none":
        return None
    if kind == "bool":
        return bool(enc.get("value"))
    if kind == "text":
        return str(enc.get("value", ""))[:_MAX_ITEMS]
    if kind == "array":
        shape = enc.get("shape")
        data = enc.get("data")
        if (
            not isinstance(shape, list)
            or not isinstance(data, list)
            or not all(isinstance(n, int) and 0 <= n <= _MAX_ITEMS for n in shape)
            or math.prod(shape) != len(data)
            or len(data) > _MAX_ITEMS
        ):
            return Opaque("unreadable", "an array whose shape and data do not agree")
        return np.array([_decode_float(x) for x in data], dtype=float).reshape(shape)
    if kind == "function":
        results = enc.get("results")
        if not isinstance(results, list) or len(results) > 1000:
            return Opaque("unreadable", "function results")
        values: list[Any] = []
        errors: list[str | None] = []
        for r in results:
            if isinstance(r, dict) and "error" in r:
                values.append(None)
                errors.append(str(r["error"])[:300])
            else:
                values.append(_decode_value(r.get("value") if isinstance(r, dict) else r))
                errors.append(None)
        return ProbeValues(
            tuple(values), tuple(errors), str(enc.get("name", "your function"))[:100]
        )
    if kind == "other":
        return Opaque(str(enc.get("typename", "object"))[:100], str(enc.get("text", ""))[:200])
    return Opaque("unreadable", repr(enc)[:200])


def decode_answer(payload: Any) -> Any:
    """Decode the ``answer`` of an answer bundle; never raises.

    Parameters
    ----------
    payload : object
        The bundle's JSON data, ``{"exercise": ..., "answer": {...}}``.

    Returns
    -------
    None, bool, str, numpy.ndarray, ProbeValues or Opaque

    Examples
    --------
    >>> decode_answer({"answer": {"type": "array", "shape": [2], "data": [6, "nan"]}})
    array([ 6., nan])
    >>> decode_answer({"answer": {"type": "array", "shape": [3], "data": [1]}})
    Opaque(typename='unreadable', text='an array whose shape and data do not agree')
    """
    try:
        enc = payload.get("answer") if isinstance(payload, dict) else None
        return _decode_value(enc)
    except Exception as exc:  # noqa: BLE001 - a malformed bundle is an unreadable answer
        return Opaque("unreadable", f"{type(exc).__name__}")


# --- typed text ---------------------------------------------------------------------------------

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_NAMES = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan}
_FUNCS = {
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "exp": math.exp,
    "log": math.log,
    "atan": math.atan,
    "tanh": math.tanh,
}


def _eval(node: ast.AST) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e) for e in node.elts]
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _eval(node.operand)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(left, list) or isinstance(right, list):
            raise ValueError("arithmetic on lists is not supported; write each number")
        if isinstance(node.op, ast.Pow) and abs(right) > 100:
            raise ValueError("exponent too large")
        return _BINOPS[type(node.op)](left, right)
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCS
        and len(node.args) == 1
        and not node.keywords
    ):
        return _FUNCS[node.func.id](_eval(node.args[0]))
    raise ValueError(f"cannot read {ast.unparse(node)!r}")


def parse_text(text: str) -> Any:
    """Read a number, vector or matrix typed as text, without evaluating code.

    Accepts numbers, ``+ - * / **``, ``pi``, ``e``, ``sqrt``/``sin``/``cos``/``tan``/``exp``/
    ``log``/``atan``/``tanh`` and (nested) brackets; a bare comma list is a vector.

    Parameters
    ----------
    text : str

    Returns
    -------
    float or list
        A float or (nested) lists of floats.

    Raises
    ------
    ValueError
        If the text is empty or contains anything else.

    Examples
    --------
    >>> parse_text("4, 5")
    [4.0, 5.0]
    >>> parse_text("[[2, 1], [2, sqrt(4) - 1]]")
    [[2.0, 1.0], [2.0, 1.0]]
    >>> parse_text("-pi/2")
    -1.5707963267948966
    """
    text = text.strip()
    if not text:
        raise ValueError("empty answer")
    if len(text) > 2000:
        raise ValueError("answer too long")
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ValueError(f"cannot read {text!r} as numbers") from None
    try:
        return _eval(tree)
    except (ArithmeticError, RecursionError) as exc:
        raise ValueError(f"cannot compute {text!r}: {exc}") from None
