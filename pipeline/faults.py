"""Fault injection for the publish tests: NEWSROOM_FAULT=<step> kills a process at that step.

Only the tests set the variable. A real SIGKILL (not an exception) proves
that a publish killed anywhere leaves the live site exactly as it was.
"""

from __future__ import annotations

import os
import signal

FAULT_VARIABLE = "NEWSROOM_FAULT"
STEPS = ("materialize", "build", "verify", "switch")
# After `output` is switched and before the record says so: the live site has changed, and the
# next publish or rollback must complete the record (pipeline.publish._reconcile).
AFTER_SWITCH = "after-switch"
# Once the build has started its photo workers (plugins/photos): the publish is killed.
RENDITIONS = "renditions"


def fault_point(step: str, pid: int | None = None) -> None:
    """SIGKILL `pid` (default: this process) when NEWSROOM_FAULT names `step`."""
    if os.environ.get(FAULT_VARIABLE) == step:
        os.kill(pid or os.getpid(), signal.SIGKILL)
