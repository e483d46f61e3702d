"""Print the built-in function names of `opa capabilities --current` (read from stdin), one a
line, for src/govgate/rules/rego_builtins.txt (`make rego-builtins`)."""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    capabilities = json.load(sys.stdin)
    names = sorted({builtin["name"] for builtin in capabilities["builtins"]})
    version = (
        subprocess.run(
            ["../shared/tools/opa/opa", "version"], capture_output=True, text=True, check=False
        )
        .stdout.split("\n", 1)[0]
        .removeprefix("Version: ")
        or "unknown"
    )
    print(f"# Built-in functions of OPA {version} (opa capabilities --current): a policy may call")
    print("# these and its own. Regenerate with: make rego-builtins")
    print("\n".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
