"""Name -> component factory. Names carry a version ("sentences.rules.v1").

Built-in components register themselves on import exactly as a plugin would; plugins register through
the ``counterpoint.components`` entry-point group (the entry point's name is the component name and
its object a factory ``f(settings) -> component``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from .errors import AnalyzeError

if TYPE_CHECKING:
    from .settings import Settings

Factory = Callable[["Settings"], Any]
_FACTORIES: dict[str, Factory] = {}
_plugins_loaded = False

# the built-in components, imported (and so registered) the first time a component is asked for
DEFAULT_MODULES = (
    "counterpoint.analyze.language",
    "counterpoint.analyze.sentences",
    "counterpoint.analyze.entities",
    "counterpoint.analyze.quotes",
    "counterpoint.analyze.claims",
    "counterpoint.analyze.embed",
)


def register(name: str) -> Callable[[Factory], Factory]:
    """Decorator: register ``factory`` under the versioned ``name``."""

    def deco(factory: Factory) -> Factory:
        _FACTORIES[name] = factory
        return factory

    return deco


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for module in DEFAULT_MODULES:
        import_module(module)
    for ep in entry_points(group="counterpoint.components"):
        _FACTORIES.setdefault(ep.name, ep.load())


def names() -> list[str]:
    _load_plugins()
    return sorted(_FACTORIES)


def create(name: str, settings: Settings) -> Any:
    """Build the component registered as ``name``."""
    _load_plugins()
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise AnalyzeError(f"no component named {name!r} (known: {', '.join(names())})") from None
    return factory(settings)
