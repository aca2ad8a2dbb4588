import sys

from queuetui.cli import main

sys.exit(main())
