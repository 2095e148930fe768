"""Write docs/permissions.md, the role × URL table, from the permission matrix's cases.

Run from the project root after changing a case in tests/trust/cases_*.py:

    python scripts/permissions_table.py

It runs tests/trust/test_permissions_table.py with AKS_WRITE_PERMISSIONS_TABLE set,
so the table is built in the test database the matrix uses (some expectations, the
admin's, ask a model admin about a real object).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    env = os.environ | {"AKS_WRITE_PERMISSIONS_TABLE": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/trust/test_permissions_table.py",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 (a fixed command)
    if result.returncode == 0:
        print("wrote docs/permissions.md")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
