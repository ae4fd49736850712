"""`make site`: a sample editor approves the sample articles through the real commands, and
the site is published. Safe to run again: approved articles are left as they are.

Once the site has been published it approves nothing more (a working newsroom's drafts are
not samples); `--all` approves every unapproved, unrejected article even then: a test or a
demonstration standing for the editors, never a working newsroom.

Usage: python tools/approve_samples.py [ROOT] [--all]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.cli import main
from pipeline.errors import NewsroomError
from pipeline.samples import CommandFailed, approve_samples

if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--all"]
    root = Path(arguments[0]) if arguments else Path(".")
    try:
        approved = approve_samples(root, main, after_publishing="--all" in sys.argv[1:])
    except CommandFailed as failed:  # the command has printed its one line
        sys.exit(failed.exit_code)
    except NewsroomError as error:
        print(f"approve_samples: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    print(f"Đã duyệt {len(approved)} bài mẫu mới; trang công khai ở output/")
