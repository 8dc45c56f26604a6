"""helpers: tidy, validated tables from Chinese government information-disclosure annual reports."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy, so `import helpers` stays cheap for the CLI and worker processes.
    if name in ("load_reports", "read_processed", "Tables"):
        from . import build

        return getattr(build, name)
    raise AttributeError(name)
