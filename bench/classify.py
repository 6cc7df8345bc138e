"""Classification benchmark (issue #4): the default model's training time, and throughput in one process through
the code path of `gridvoice classify` (JSON Lines read and checked, batches predicted, JSON Lines written).

Also: how fast the synthetic corpus is generated, and single-text latency (what intake pays per appeal).
"""

from __future__ import annotations

import io
import json
import random
import time
from contextlib import redirect_stdout
from pathlib import Path

from rich.console import Console

from bench.common import Result, percentile
from gridvoice.classifier import registry
from gridvoice.classifier.batch import classified_lines, read_inputs
from gridvoice.classifier.corpus import DEFAULT_SIZE, synthetic_corpus
from gridvoice.classifier.model import TrainConfig
from gridvoice.classifier.training import fit, save_trained
from gridvoice.synth.texts import CHANNELS, LABEL_MIX, generate_appeal_text, random_context

GOAL_TEXTS_PER_SECOND = 20_000
GOAL_TRAIN_SECONDS = 120


def _generation_rate(n: int) -> float:
    rng = random.Random(0)
    pairs, weights = list(LABEL_MIX), list(LABEL_MIX.values())
    jobs = [(rng.choices(pairs, weights)[0], rng.choice(CHANNELS), rng.random() < 0.2, random_context(rng))
            for _ in range(n)]
    started = time.perf_counter()
    for (bt, topic), channel, urgent, ctx in jobs:
        generate_appeal_text(rng, bt, topic, channel, urgent, ctx)
    return n / (time.perf_counter() - started)


def run(work: Path, quick: bool, console: Console) -> list[Result]:
    work.mkdir(parents=True, exist_ok=True)
    size = 8_000 if quick else DEFAULT_SIZE
    texts_n = 40_000 if quick else 400_000
    console.print(f"classify: generating {size:,} training texts …")
    corpus = synthetic_corpus(size)
    started = time.perf_counter()
    trained = fit(corpus, "bench", TrainConfig(n_jobs=2), progress=lambda _: None)
    train_seconds = time.perf_counter() - started
    saved = save_trained(trained, work / "home")
    model = registry.load(saved.path)  # type: ignore[arg-type]

    console.print(f"classify: writing {texts_n:,} texts to classify …")
    sample = synthetic_corpus(texts_n, seed=99)
    source = work / "texts.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for i, (text, channel) in enumerate(zip(sample.texts, sample.channels, strict=True)):
            fh.write(json.dumps({"id": i, "text": text, "channel": channel}, ensure_ascii=False) + "\n")
    model.predict(sample.texts[:1000], sample.channels[:1000])  # warm-up: hash table, first allocations
    rates = []
    for _ in range(3):
        sink = io.StringIO()
        started = time.perf_counter()
        inputs = read_inputs(source)
        with redirect_stdout(sink):
            for line in classified_lines(model, inputs):
                sink.write(line + "\n")
        rates.append(texts_n / (time.perf_counter() - started))
    singles = []
    for text, channel in zip(sample.texts[:2000], sample.channels[:2000], strict=True):
        t0 = time.perf_counter()
        model.predict([text], [channel])
        singles.append(time.perf_counter() - t0)
    return [
        Result(f"classify {texts_n:,} texts (JSONL in and out, one process)", "numpy", "throughput", max(rates),
               "texts/s", GOAL_TEXTS_PER_SECOND),
        Result("classify one text (intake)", "numpy", "p95 latency", percentile(singles, 0.95) * 1000, "ms", None,
               False),
        Result(f"train the default model ({size:,} texts, 2 processes)", "scikit-learn", "time", train_seconds, "s",
               GOAL_TRAIN_SECONDS, False),
        Result("generate synthetic appeal texts", "python", "throughput", _generation_rate(20_000), "texts/s"),
    ]
