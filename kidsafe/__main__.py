"""`python -m kidsafe` runs the `kidsafe` command."""

import sys

from kidsafe.cli import main

sys.exit(main())
