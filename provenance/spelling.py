"""How a reader spells the words inside stored names: abbreviations and identifiers as such ("gp crossover"
→ "GP crossover", "openai" → "OpenAI"), the same on every page and in every export. Names are stored as the
engines wrote them; only what is shown is spelled."""

import re

WORDS = {"gp": "GP", "llm": "LLM", "programs_database": "program database", "ai": "AI", "openai": "OpenAI"}


def spelled(name: str) -> str:
    return re.sub(r"[A-Za-z_]+", lambda word: WORDS.get(word.group(0).lower(), word.group(0)), name)
