"""Names of activities, edge roles and agents as a reader spells them ("GP crossover", "LLM"), not as
they are stored ("gp_crossover", "llm")."""

from provenance.spelling import spelled

ACTIVITIES = {
    "literature": "from the literature",
    "random_init": "random start",
    "gp_crossover": "GP crossover",
    "gp_mutation": "GP mutation",
    "gp_selection": "GP selection",
    "llm": "LLM",
    "human": "written by a person",
    "human_edit": "edited by a person",
    "migration": "migration (copy to another island)",
    "island_reset": "island reset (founder copy)",
    "import": "imported",
}
ROLES = {
    "parent": "parent",
    "crossover_donor": "crossover donor",
    "inspiration": "inspiration (in the prompt)",
    "human_edit_of": "edited from",
    "migration_source": "copied from (migration)",
    "reset_founder": "copied from (island reset)",
}


def activity_label(value: str) -> str:
    return ACTIVITIES.get(value, value.replace("_", " "))


def role_label(value: str) -> str:
    return ROLES.get(value, value.replace("_", " "))


def agent_label(name: str) -> str:
    """An agent's stored name with its abbreviations spelled as such: "gp crossover" → "GP crossover"."""
    return spelled(name)
