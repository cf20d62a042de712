"""``python -m crosscheck.config > config.yaml``: the template with every default."""

import sys

from crosscheck.config.read import render_template

sys.stdout.write(render_template())
