"""Seedtrace solver: IBP reduction over a finite field that scores seeding rules. No Django here."""
