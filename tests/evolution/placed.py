"""A problem whose target sits below the family's top sector, for the features that tell the top sector's
lines from the others: trianglebox with line 6 pinched in the target, I(1,1,1,1,1,0,-2)."""

from solver.family import FAMILIES_DIR

PINCHED6 = "pinched6"
TARGET = (1, 1, 1, 1, 1, 0, -2)


def family_file(folder) -> str:
    """The trianglebox family file plus the problem PINCHED6, written under `folder`; its path."""
    text = (FAMILIES_DIR / "trianglebox.toml").read_text()
    text += f'\n[[problems]]\nname = "{PINCHED6}"\ntargets = [{list(TARGET)}]\n'
    path = folder / "trianglebox_pinched6.toml"
    path.write_text(text)
    return str(path)
