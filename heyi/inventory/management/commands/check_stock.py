from django.core.management.base import BaseCommand, CommandError

from heyi.platform.models import Company

from ...selectors import stock_differences


class Command(BaseCommand):
    help = "Recompute stock balances, reservations and valuations from the ledger and report differences."

    def add_arguments(self, parser):
        parser.add_argument("--company", help="the company code (default: every company)")

    def handle(self, *args, company=None, **options):
        chosen = None
        if company:
            chosen = Company.objects.filter(code=company).first()
            if chosen is None:
                raise CommandError(f"no company with code {company}")
        differences = stock_differences(chosen)
        for line in differences:
            self.stdout.write(line)
        if differences:
            raise CommandError(f"{len(differences)} difference(s) between the ledger and the kept figures")
        self.stdout.write("stock agrees with the ledger")
