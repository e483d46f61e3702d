"""`govgate ci SYSTEM`: what a CI system needs from one gate run, made by govgate itself.

The GitHub Action and the GitLab template run `govgate check`, then `govgate ci github|gitlab`
on the report folder that check wrote: annotations, the step summary and job outputs on GitHub,
the dotenv report on GitLab. The wrappers stay shells that build an argument list; what they
hand on comes from the report folder as the manifest pins it (`outcome.py`), so nothing outside
the package reads, rewrites or re-renders a report.
"""

from __future__ import annotations

# System name -> the module whose `publish(outcome, options)` serves it (imported when run).
SYSTEMS: dict[str, str] = {
    "github": "govgate.ci.github",
    "gitlab": "govgate.ci.gitlab",
}
