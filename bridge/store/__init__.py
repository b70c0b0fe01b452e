"""The only package that talks to Redis: key names, Lua scripts, codecs and repositories."""

from bridge.store.store import Store

__all__ = ["Store"]
