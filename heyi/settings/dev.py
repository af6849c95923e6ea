"""Development: SQLite under var/, the database job backend, mail to the console."""

from .base import *  # noqa: F401,F403
from .base import VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
