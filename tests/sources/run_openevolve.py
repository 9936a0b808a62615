"""Run OpenEvolve for a few iterations on the toy problem against the local OpenAI-protocol test server.

Runs inside a venv that has openevolve (tests/sources/make_fixtures.py makes one):
    python run_openevolve.py OUT
"""

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from openevolve import run_evolution  # noqa: E402
from openevolve.config import Config, LLMModelConfig  # noqa: E402

from tests.llm.server import OpenAIServer, Reply  # noqa: E402
from tests.sources import toy  # noqa: E402

EVALUATOR = f"""
import importlib.util, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import toy
from openevolve.evaluation_result import EvaluationResult

def evaluate(program_path):  # small artifacts: OpenEvolve keeps them in the program's artifacts_json
    spec = importlib.util.spec_from_file_location("candidate", program_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scored = toy.score(module.keep)
    feedback = f"kept {{scored['kept']}} seeds, covered {{scored['covered']}}"
    return EvaluationResult(metrics=scored, artifacts={{"feedback": feedback}})
"""


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluator.py").write_text(EVALUATOR)
    with OpenAIServer() as server:
        rules = itertools.count()
        server.default = lambda request: Reply(
            text=f"A tighter rule.\n```python\n{toy.rule(next(rules))}```\n", usage=(180, 40)
        )
        config = Config()
        config.max_iterations = 8
        config.checkpoint_interval = 2
        config.random_seed = 7
        config.diff_based_evolution = False
        config.language = "python"
        config.llm.models = [LLMModelConfig(name="gpt-4o-mini", weight=1.0)]
        config.llm.update_model_params(
            {
                "api_base": server.base_url,
                "api_key": "fixture-key",
                "timeout": 10,
                "retries": 0,
                "retry_delay": 0,
                "temperature": 0.7,
                "max_tokens": 512,
            },
            overwrite=True,
        )
        config.database.population_size = 3
        config.database.archive_size = 2
        config.database.num_islands = 2
        config.database.migration_interval = 2
        config.database.migration_rate = 0.5
        config.database.log_prompts = True
        config.database.random_seed = 7
        config.evaluator.cascade_evaluation = False
        config.evaluator.parallel_evaluations = 1
        config.evaluator.timeout = 30
        config.evolution_trace.enabled = True
        config.evolution_trace.include_code = True
        config.evolution_trace.include_prompts = True
        config.evolution_trace.include_failures = True
        config.evolution_trace.buffer_size = 1
        result = run_evolution(
            toy.INITIAL,
            str(out / "evaluator.py"),
            config=config,
            iterations=8,
            output_dir=str(out / "openevolve_output"),
            cleanup=False,
        )
        print("best", result.best_score, "requests", len(server.requests))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
