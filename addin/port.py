"""The small read/write port the macros use, with an xlwings adapter and an openpyxl adapter."""

from __future__ import annotations

from typing import Any


class XlwingsPort:
    """The port over an xlwings ``Book`` (desktop Excel, or the JSON engine on Linux)."""

    def __init__(self, book: Any) -> None:
        self.book = book

    @classmethod
    def from_caller(cls) -> XlwingsPort:
        """Return the port over the workbook active when the ribbon button was pressed."""
        import xlwings as xw

        caller = xw.Book.caller()  # the add-in itself when the button belongs to jixiao.xlam
        return cls(caller.app.books.active)

    def alert(self, message: str, title: str) -> None:
        """Show ``message`` to the user."""
        self.book.app.alert(message, title)
