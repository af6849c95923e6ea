from django.core.management.base import BaseCommand, CommandError

from heyi.finance.books import books_differences
from heyi.platform.models import Company


class Command(BaseCommand):
    help = "Check every company's books: balanced vouchers, the hash chain, numbering, control accounts."

    def add_arguments(self, parser):
        parser.add_argument("--company", help="code of one company")

    def handle(self, *args, company=None, **options):
        target = None
        if company:
            target = Company.objects.filter(code=company).first()
            if target is None:
                raise CommandError(f"no company {company}")
        found = books_differences(target)
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(f"{len(found)} differences in the books")
        self.stdout.write("books OK")
