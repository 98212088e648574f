"""Typed errors for bad source data, turned into one clear message at the edge."""

from pathlib import Path


class SourceError(Exception):
    """Something in a data file is wrong: which file, which line, and what.

    ``line`` is 1-based; 0 means the problem concerns the file as a whole.
    """

    def __init__(self, path: str | Path, line: int, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
