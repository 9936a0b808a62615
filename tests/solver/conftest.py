"""Shared fixtures of the solver tests: families and pools are built once per session (sympy is slow)."""

import pytest

from solver.family import load_family
from solver.masters import family_masters
from solver.seeds import SeedPool


@pytest.fixture(scope="session")
def trianglebox():
    return load_family("trianglebox")


@pytest.fixture(scope="session")
def trianglebox_masters(trianglebox):
    return family_masters(trianglebox)


@pytest.fixture(scope="session")
def pools(trianglebox):
    """Seed pool of each trianglebox problem, by name (rank1 .. rank4)."""
    return {p.name: SeedPool(trianglebox, p.targets) for p in trianglebox.problems}
