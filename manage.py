#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Run from a checkout with neither ``SECRET_KEY`` nor ``DEBUG`` in the environment, it is local
development (``.venv/bin/python manage.py createsuperuser`` after ``make run``, as the README
shows), so it sets ``DEBUG=1`` for the settings' local defaults. Anything that says otherwise
keeps the strict settings: a ``SECRET_KEY`` in the environment (a production shell) or an
explicit ``DEBUG=0`` (``make serve``) still refuses to start without a key or host names, and
the production server (gunicorn with ``ruspolitikk.wsgi``) never comes through here.
"""

import os
import sys


def main():
    """Run administrative tasks."""
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruspolitikk.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
