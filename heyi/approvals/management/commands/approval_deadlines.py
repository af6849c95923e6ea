import time

from django.core.management.base import BaseCommand

from heyi.approvals.services.deadlines import approval_deadlines_run
from heyi.platform import context


class Command(BaseCommand):
    help = "Remind and escalate overdue approval tasks (once, or every --interval seconds with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=300.0)

    def handle(self, *args, loop=False, interval=300.0, **options):
        with context.acting("job"):
            while True:
                counts = approval_deadlines_run()
                if counts["reminded"] or counts["escalated"] or not loop:
                    self.stdout.write(f"reminded={counts['reminded']} escalated={counts['escalated']}")
                if not loop:
                    return
                time.sleep(interval)
