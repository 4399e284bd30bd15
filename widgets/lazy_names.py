"""Names of a package imported on first use (PEP 562): `widgets` and `screens` use it.

A package lists which module holds each public name and sets
`__getattr__ = lazy_names(__name__, modules)`: importing the package imports
none of its modules, and the first use of a name imports the one that holds it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`, whose names live in `modules` (name -> module)."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        """Import the module of `name` when it is first asked for."""
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value  # asked for once: the next use finds it at once
        return value

    return __getattr__
