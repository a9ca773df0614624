"""``python -m jixiao``: the same as the ``jixiao`` command (and ``python -m jixiao.cli``)."""

import sys

from jixiao.cli import main

sys.exit(main())
