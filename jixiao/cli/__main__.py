"""``python -m jixiao.cli``: the same as the ``jixiao`` command."""

import sys

from jixiao.cli import main

sys.exit(main())
