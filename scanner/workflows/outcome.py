"""What a finished check or scan amounts to as an exit code (scanner/errors.py)."""

from __future__ import annotations

from scanner.core.models import Severity
from scanner.errors import EXIT_OK, EXIT_PROBLEMS


def severity_exit_code(worst: Severity | None, fail_on: str) -> int:
    """EXIT_PROBLEMS when the worst severity found is at or above ``fail_on``, else EXIT_OK."""
    if fail_on == "never" or worst is None:
        return EXIT_OK
    return EXIT_PROBLEMS if worst >= Severity.parse(fail_on) else EXIT_OK
