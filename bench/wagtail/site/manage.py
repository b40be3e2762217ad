#!/usr/bin/env python
"""manage.py of the Wagtail side of the comparison (run with the Wagtail virtualenv's python)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
