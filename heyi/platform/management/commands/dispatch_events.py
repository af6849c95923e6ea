import time

from django.core.management.base import BaseCommand

from heyi.platform import context
from heyi.platform.services.events import events_dispatch


class Command(BaseCommand):
    help = "Run the asynchronous handlers of pending outbox events (once, or in a loop with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, loop=False, interval=2.0, **options):
        with context.acting("job"):
            while True:
                counts = events_dispatch()
                if counts["done"] or counts["retry"] or counts["failed"] or not loop:
                    self.stdout.write(
                        f"done={counts['done']} retry={counts['retry']} failed={counts['failed']}"
                    )
                if not loop:
                    return
                time.sleep(interval)
