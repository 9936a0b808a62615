"""Run ShinkaEvolve for a few generations on the toy problem against the local OpenAI-protocol test server.

Runs inside a venv that has shinka-evolve (tests/sources/make_fixtures.py makes one): python run_shinka.py OUT
"""

import itertools
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.llm.server import OpenAIServer, Reply  # noqa: E402
from tests.sources import toy  # noqa: E402

EVALUATE = f"""
import argparse, importlib.util, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import toy
from shinka.core.wrap_eval import save_json_results

parser = argparse.ArgumentParser()
parser.add_argument("--program_path")
parser.add_argument("--results_dir")
args = parser.parse_args()
try:
    spec = importlib.util.spec_from_file_location("candidate", args.program_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scored = toy.score(module.keep)
    metrics = {{"combined_score": scored["combined_score"], "public": {{"covered": scored["covered"]}},
               "private": {{"kept": scored["kept"]}}, "text_feedback": f"kept {{scored['kept']}} seeds"}}
    save_json_results(args.results_dir, metrics, True)
except Exception as error:
    save_json_results(args.results_dir, {{"combined_score": 0.0}}, False, str(error))
"""


def answer(rules):
    def reply(request: dict) -> Reply:
        if "<PROMPT>" in json.dumps(request.get("messages", [])):  # prompt evolution: a new system prompt
            return Reply(
                text="<NAME>\nseeds_first\n</NAME>\n<DESCRIPTION>\nAsk for fewer seeds.\n</DESCRIPTION>\n"
                "<PROMPT>\nEvolve keep(seed) for IBP reduction: keep every needed seed and as few others as "
                "you can; prefer simple rules on the dots and the numerator degree.\n</PROMPT>\n",
                usage=(700, 40),
            )
        i = next(rules)
        if i == 2:  # one answer without code: a failed attempt, which Shinka keeps under gen_N/attempts
            return Reply(text="<NAME>\nno_code\n</NAME>\nI could not think of a rule.\n", usage=(880, 12))
        text = (
            f"<NAME>\nrule_{i}\n</NAME>\n\n<DESCRIPTION>\nKeep fewer seeds, variant {i}.\n</DESCRIPTION>\n\n"
            f"<CODE>\n```python\n{toy.rule(i)}```\n</CODE>\n"
        )
        return Reply(text=text, usage=(900 + i, 120 + i))

    return reply


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.chdir(out)
    (out / "evaluate.py").write_text(EVALUATE)
    (out / "initial.py").write_text(toy.INITIAL)
    os.environ["FIXTURE_LLM_KEY"] = "fixture-key"
    from shinka.core import EvolutionConfig, ShinkaEvolveRunner
    from shinka.database import DatabaseConfig
    from shinka.launch import LocalJobConfig

    with OpenAIServer() as server:
        server.default = answer(itertools.count())
        model = f"local/gpt-4.1-nano@{server.base_url}?api_key_env=FIXTURE_LLM_KEY"
        evo = EvolutionConfig(
            task_sys_msg=(
                "Evolve a seeding rule keep(seed) for IBP reduction: keep every needed seed, few others."
            ),
            patch_types=["full", "cross"],
            patch_type_probs=[0.7, 0.3],
            num_generations=6,
            max_patch_resamples=1,
            max_patch_attempts=2,
            job_type="local",
            language="python",
            llm_models=[model],
            llm_dynamic_selection=None,
            llm_kwargs={"temperatures": [0.5], "max_tokens": 512},
            meta_rec_interval=None,
            embedding_model=None,
            init_program_path="initial.py",
            results_dir=str(out / "results"),
            max_novelty_attempts=1,
            novelty_llm_models=None,
            use_text_feedback=True,
            evolve_prompts=True,  # the evolved system prompts go to prompts.sqlite
            prompt_llm_models=[model],
            prompt_evolution_interval=2,
            prompt_patch_types=["full"],
            prompt_patch_type_probs=[1.0],
        )
        db = DatabaseConfig(
            db_path="evolution_db.sqlite",
            num_islands=2,
            archive_size=4,
            num_archive_inspirations=2,
            num_top_k_inspirations=1,
            migration_interval=2,
            migration_rate=0.5,
        )
        job = LocalJobConfig(eval_program_path=str(out / "evaluate.py"))
        runner = ShinkaEvolveRunner(
            evo_config=evo,
            job_config=job,
            db_config=db,
            verbose=True,
            max_evaluation_jobs=1,
            max_proposal_jobs=1,
        )
        runner.run()
        print("requests", len(server.requests))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
