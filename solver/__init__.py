"""Seedtrace solver: IBP reduction over a finite field that scores seeding rules. No Django here.

One concept per module, in the order data flows:
  family      the TOML family file, parsed and validated (FamilyError names field and reason)
  kinematics  scalar products as linear forms in the propagators (the basis)
  identities  IBP + LI identity templates, derived once per family with sympy
  sectors     sectors and zero sectors (Lee's criterion on U + F)
  symmetries  a family's declared symmetries (propagator permutations checked on U and F)
  integral    features (t, r, s, d, sector) and the Laporta order
  seeds       the candidate seed pool of a problem and the Seed view rules see
  literature  Laporta, Kira-3, floored Kira-3 (and with the target's dots): program and citation, written once
  rules       rules as callables over seeds (the literature's, no-dots Laporta), selection, rule files
  point       numeric points and primes; exact evaluation mod p
  system      templates × seeds → CSR system over Z_p (numpy, all seeds at once)
  elimination the fast sparse modular elimination (numba), counting its work; naive: the dict-of-rows baseline
  reduction   seeds → verdict and cost (Result), with re-checks at other primes and points
  masters     the family's master integrals (without symmetries; with, where declared), JSON cache
  score       a rule's score per problem, its signature, the seed cap
  cli         `python -m solver reduce ...` (main(argv) is what manage.py reduce calls)
"""

# Recorded on every evaluation: a change that can alter a verdict or a count must bump it.
__version__ = "0.2.0"  # 0.2.0: Result reports the elimination's work (WORK_FIELDS)
