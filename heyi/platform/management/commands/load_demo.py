from django.core.management.base import BaseCommand

from heyi.platform import context
from heyi.platform.demo import demo_logins, load_demo
from heyi.platform.models import Company


class Command(BaseCommand):
    help = "Create the demo companies and their data, unless they are already there; print the logins."

    def handle(self, *args, **options):
        existed = Company.objects.filter(code="demo").exists()
        with context.acting("cli"):
            company = load_demo()
        self.stdout.write(("Demo company kept: " if existed else "Demo company created: ") + company.name)
        self.stdout.write("Demo logins (username / password):")
        for username, password in demo_logins():
            self.stdout.write(f"  {username:<14} {password}")
