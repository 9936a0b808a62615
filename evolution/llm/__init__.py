"""Language models as a source of candidate programs, as FunSearch uses them: prompts (prompt.py), calls to
any OpenAI-compatible endpoint (client.py, faults.py), completions to programs (parse.py; a chat answer's
function: answer.py; fences and trimming: scan.py), what calls cost (prices.py) and a run's caps on them
(budget.py). The engine is evolution.engines.llm."""
