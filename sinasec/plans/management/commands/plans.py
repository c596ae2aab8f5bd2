"""sinasec plans: the same command as ``sinasec plan`` (both spellings are in use)."""

from sinasec.plans.management.commands import plan


class Command(plan.Command):
    help = "The same as 'sinasec plan'. " + plan.Command.help
