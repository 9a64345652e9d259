from django.core.management.base import BaseCommand

from programs.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo directory: real SAMHSA facilities with made-up services, hours and "
        "phone numbers (see programs/demo/data/SOURCE.md). Safe to run again."
    )

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo directory: {result.programs} programs in {result.states} states "
                f"({result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged)."
            )
        )
        if result.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {len(result.skipped)} rows:"))
            for problem in result.skipped:
                self.stdout.write(f"  {problem}")
