"""How the layers above the core plug into it without the core importing them.

The core knows the data-file format only. The workbook layer (and later the report and add-in
layers) register readers, score writers, demo steps and CLI sub-commands through the entry-point
group ``jixiao.plugins``: each entry point names a ``register(registry)`` function. They are
loaded lazily, the first time a command needs them, so ``jixiao --version`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

ENTRY_POINT_GROUP = "jixiao.plugins"

Reader = Callable[[Path], Any]  # path -> (Filing, list[Finding])
ScoreWriter = Callable[..., Any]  # (source, destination, filing, scores, findings) -> None
DemoStep = Callable[..., Any]  # (out_dir, result, progress) -> list[Path]
ReportWriter = Callable[..., Any]  # (result, document, out_path, public=bool) -> Path


@dataclass
class Command:
    """A CLI sub-command contributed by a plugin."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


@dataclass
class Registry:
    """What the plugins have contributed."""

    readers: dict[str, Reader] = field(default_factory=dict)  # by suffix: '.xlsx'
    writers: dict[str, ScoreWriter] = field(default_factory=dict)
    report_writers: dict[str, ReportWriter] = field(default_factory=dict)
    macro_maker: Callable[[Path, Path], Path] | None = None  # (.xlsx, .xlsm) -> .xlsm with the ribbon
    demo_steps: list[tuple[int, str, DemoStep]] = field(default_factory=list)
    commands: dict[str, Command] = field(default_factory=dict)
    check_options: list[Callable[[argparse.ArgumentParser], None]] = field(default_factory=list)
    check_extensions: list[Callable[..., Any]] = field(default_factory=list)

    def reader(self, suffix: str, function: Reader) -> None:
        """Register a reader for files ending in ``suffix``."""
        self.readers[suffix.lower()] = function

    def writer(self, suffix: str, function: ScoreWriter) -> None:
        """Register the writer that puts scores and findings into files ending in ``suffix``."""
        self.writers[suffix.lower()] = function

    def report_writer(self, suffix: str, function: ReportWriter) -> None:
        """Register the writer of the 自评报告 in files ending in ``suffix`` (e.g. the workbook sheet)."""
        self.report_writers[suffix.lower()] = function

    def macro_workbook(self, function: Callable[[Path, Path], Path]) -> None:
        """Register the function that turns a built .xlsx into an .xlsm carrying the ribbon and VBA."""
        self.macro_maker = function

    def demo_step(self, order: int, label: str, function: DemoStep) -> None:
        """Register a step of ``jixiao demo``; steps run by ``order``."""
        self.demo_steps.append((order, label, function))
        self.demo_steps.sort(key=lambda item: item[0])

    def command(self, command: Command) -> None:
        """Register a CLI sub-command."""
        self.commands[command.name] = command

    def check_option(
        self, configure: Callable[[argparse.ArgumentParser], None], extension: Callable[..., Any]
    ) -> None:
        """Register extra ``jixiao check`` options and the function that adds their findings."""
        self.check_options.append(configure)
        self.check_extensions.append(extension)


_registry: Registry | None = None


def registry() -> Registry:
    """Return the registry, loading every installed plugin the first time."""
    global _registry
    if _registry is None:
        _registry = Registry()
        for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            try:
                register = entry.load()
            except ImportError as exc:  # an optional layer whose dependencies are not installed
                print(f"jixiao：插件 {entry.name} 无法加载（{exc}），相关命令不可用", file=sys.stderr)
                continue
            register(_registry)
    return _registry
