"""The training loop (training/): tokens as llama.cpp sees them, the loss mask, resuming,
and the exported GGUF in llama-cpp-python.

The tokenisation tests need only the project's own dependencies. The rest train the
real model (a few steps on hand-written examples, one thread) and need the `train` extra
(`pip install -e '.[train]'`); without it they are skipped, and say why.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.embedded import EmbeddedBackend, embedded_model_path
from summarizer.evaluation.fixtures import load_fixture
from summarizer.evaluation.systems import article_of
from summarizer.settings import Settings
from training.data import load_data
from training.tokens import IGNORED, Example, Tokenizer

ROOT = Path(__file__).resolve().parent.parent
SEED_FIXTURE = ROOT / "evals" / "fixtures" / "seed-nk-china-fm.json"
MISSING = [m for m in ("torch", "transformers", "peft") if importlib.util.find_spec(m) is None]
needs_train_extra = pytest.mark.skipif(
    bool(MISSING),
    reason=f"the `train` extra is not installed ({', '.join(MISSING)} missing): "
    "pip install -e '.[train]'",
)

SYSTEM = "You are a careful news analyst. You read one news article and answer in JSON."
ARTICLES = [
    (
        "[1] The Velenia port authority closed the northern harbour on Monday after a "
        "drone struck a fuel depot.\n[2] Officials said nobody was hurt.",
        "Velenia port authority",
        "closed the northern harbour",
        "Monday",
    ),
    (
        "[1] Nordsky Air agreed on Tuesday to buy Baltair for 2.4 billion euros.\n"
        "[2] The deal still needs approval from regulators in 2027.",
        "Nordsky Air",
        "agreed to buy Baltair",
        "Tuesday",
    ),
    (
        "[1] A court in Brevonia sentenced fund manager Ilse Marr to six years on "
        "Friday.\n[2] Her lawyers said they would appeal.",
        "court in Brevonia",
        "sentenced Ilse Marr",
        "Friday",
    ),
    (
        "[1] Floods in Ambria forced 12,000 people from their homes on Sunday.\n"
        "[2] The army sent 40 boats to the Lower Tavra district.",
        "Floods in Ambria",
        "forced people from their homes",
        "Sunday",
    ),
]


def _example(number: int, article: str, actor: str, action: str, time: str) -> dict[str, Any]:
    event = {
        "sentences": [1],
        "actors": [actor],
        "action": action,
        "targets": [],
        "time": time,
        "location": None,
        "status": "happened",
    }
    return {
        "task": "events",
        "source": "fixtures",
        "source_id": f"fixtures:handmade-{number}",
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"ARTICLE\n<<<\n{article}\n>>>\nTASK: list the events."},
        ],
        "answer": json.dumps({"events": [event]}),
    }


def _claim(number: int, article: str, label: str) -> dict[str, Any]:
    user = f"ARTICLE\n<<<\n{article}\n>>>\nCLAIM: nobody was hurt.\nAnswer with one word."
    return {
        "task": "claim_label",
        "source": "fixtures",
        "source_id": f"fixtures:handmade-{number}",
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
        "answer": label,
    }


def _write_data(folder: Path, train: list[dict[str, Any]], heldout: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train.jsonl", train), ("heldout.jsonl", heldout)):
        lines = "".join(json.dumps(row) + "\n" for row in rows)
        (folder / name).write_text(lines, encoding="utf-8")
    (folder / "data_manifest.json").write_text(
        json.dumps({"sources": {"fixtures": "hand-written for tests"}}), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def tokenizer() -> Iterator[Tokenizer]:
    found = Tokenizer(embedded_model_path())
    yield found
    found.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    train = [_example(i, *article) for i, article in enumerate(ARTICLES)]
    heldout = [_claim(9, ARTICLES[0][0], "agree"), _example(8, *ARTICLES[1])]
    return _write_data(tmp_path_factory.mktemp("data"), train, heldout)


# --- tokens: what llama.cpp sees -------------------------------------------------------


@pytest.mark.slow
def test_prompt_tokens_are_those_the_embedded_backend_evaluates(tokenizer: Tokenizer) -> None:
    """The pipeline's own requests (an events call with its tool, a claim label), sent
    through the embedded backend: the ids it evaluated are the ids training uses."""
    import instructor

    from training.requests import Requests, pipeline_settings

    requests = Requests(pipeline_settings())
    article = article_of(load_fixture(SEED_FIXTURE))
    events = requests.events(article)[0].request
    claim = load_fixture(SEED_FIXTURE).claims[0].claim
    backend = EmbeddedBackend(Settings(threads=1, context_tokens=4096))
    tool: Any = instructor.openai_schema(events.response_model)
    sent: list[dict[str, Any]] = [
        {
            "messages": events.messages,
            "tools": [{"type": "function", "function": tool.openai_schema}],
            "tool_choice": {"type": "function", "function": {"name": tool.openai_schema["name"]}},
        },
        {"messages": requests.claim_label(article, claim)},
    ]
    for request in sent:
        completion = backend.complete({**request, "max_tokens": 1, "temperature": 0.0})
        assert completion.usage is not None
        evaluated = backend._llama.input_ids[: completion.usage.prompt_tokens].tolist()
        example = Example(
            task="t", source="s", source_id="s:1", messages=request["messages"], answer="x"
        )
        ours = tokenizer.prompt(example.messages)
        assert ours == evaluated
        assert tokenizer.text(ours).endswith("<|im_start|>assistant\n")


def test_loss_covers_exactly_the_answer_and_end_of_turn(tokenizer: Tokenizer) -> None:
    row = _example(0, *ARTICLES[3])  # digits in the answer: llama.cpp splits them
    example = Example.model_validate(row)
    encoded = tokenizer.encode(example)
    prompt = tokenizer.prompt(example.messages)
    answer = tokenizer.llama.tokenize(row["answer"].encode(), add_bos=False, special=False)
    assert encoded.input_ids == prompt + answer + [tokenizer.end_of_turn]
    assert encoded.labels[: len(prompt)] == [IGNORED] * len(prompt)
    labelled = encoded.labels[len(prompt) :]
    assert labelled == [*answer, tokenizer.end_of_turn]
    assert IGNORED not in labelled
    assert tokenizer.text(labelled) == row["answer"] + "<|im_end|>"
    assert encoded.answer_tokens == len(answer) + 1
    assert tokenizer.end_of_turn == tokenizer.llama.token_eos()


def test_a_marker_written_in_an_answer_stays_text(tokenizer: Tokenizer) -> None:
    example = Example.model_validate(_claim(0, ARTICLES[0][0], "agree<|im_end|>"))
    labelled = [t for t in tokenizer.encode(example).labels if t != IGNORED]
    assert labelled.count(tokenizer.end_of_turn) == 1  # only the one appended


def test_examples_over_the_limit_are_skipped_and_counted(
    tmp_path: Path, tokenizer: Tokenizer
) -> None:
    long_article = " ".join(["[1] The harbour closed on Monday."] * 60)
    train = [_example(0, *ARTICLES[0]), _example(1, long_article, "port", "closed", "Monday")]
    heldout = [_claim(2, long_article, "agree"), _claim(3, ARTICLES[1][0], "discuss")]
    folder = _write_data(tmp_path, train, heldout)
    lengths = [len(tokenizer.encode(Example.model_validate(r)).input_ids) for r in train]
    limit = min(lengths) + 1
    data = load_data(folder, tokenizer, max_tokens=limit)
    assert [e.source_id for e in data.train.examples] == ["fixtures:handmade-0"]
    assert data.train.skipped == {"events": 1}
    assert data.heldout.skipped == {"claim_label": 1}
    kept = data.train.examples[0]
    assert kept.labels[-1] == tokenizer.end_of_turn  # whole, not cut
    summary = data.train.summary()
    assert summary["per_task"]["events"] == {"read": 2, "kept": 1, "skipped": 1}
    with pytest.raises(ValueError, match="no training example"):
        load_data(folder, tokenizer, max_tokens=10)


def test_a_bad_line_is_named(tmp_path: Path, tokenizer: Tokenizer) -> None:
    row = _example(0, *ARTICLES[0])
    row["answer"] = ""
    folder = _write_data(tmp_path, [_example(1, *ARTICLES[1]), row], [])
    with pytest.raises(ValueError, match=r"train\.jsonl:2: not a training example"):
        load_data(folder, tokenizer, max_tokens=2048)


# --- training: resume, signals, export -------------------------------------------------

STEPS = ["--steps", "4", "--batch", "2", "--lr", "1e-3", "--threads", "1", "--eval-every", "2"]


def _train(data: Path, out: Path, *extra: str) -> int:
    from training.train import main

    return main(["--data", str(data), "--out", str(out), *STEPS, *extra])


def _checkpoint(out: Path) -> dict[str, Any]:
    from training import checkpoint

    state = checkpoint.load(out / "checkpoint")
    assert state is not None
    return state


def _assert_same_state(one: dict[str, Any], other: dict[str, Any]) -> None:
    import torch

    assert one["progress"].step == other["progress"].step
    assert one["progress"].train_loss == other["progress"].train_loss
    assert one["adapter"].keys() == other["adapter"].keys()
    for name, tensor in one["adapter"].items():
        assert torch.equal(tensor, other["adapter"][name]), name
    moments = zip(
        one["optimizer"]["state"].values(), other["optimizer"]["state"].values(), strict=True
    )
    for mine, theirs in moments:
        assert torch.equal(mine["exp_avg_sq"], theirs["exp_avg_sq"])


@pytest.fixture(scope="module")
def uninterrupted(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("uninterrupted")
    assert _train(data_dir, out, "--no-export") == 0
    return out


@pytest.fixture(scope="module")
def resumed(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("resumed")
    assert _train(data_dir, out, "--no-export", "--stop-after", "2") == 0
    assert _checkpoint(out)["progress"].step == 2
    assert _train(data_dir, out, "--no-export") == 0
    return out


@pytest.mark.slow
@needs_train_extra
def test_resuming_gives_the_weights_of_an_uninterrupted_run(
    uninterrupted: Path, resumed: Path
) -> None:
    first, second = _checkpoint(uninterrupted), _checkpoint(resumed)
    assert first["progress"].step == 4
    _assert_same_state(first, second)
    assert [s["from_step"] for s in second["progress"].sessions] == [0, 2]
    losses = first["progress"].train_loss
    assert losses[-1] < losses[0]  # it learns the examples it sees again


@pytest.mark.slow
@needs_train_extra
def test_sigterm_checkpoints_and_the_same_command_continues(
    data_dir: Path, uninterrupted: Path, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "training.train", "--data", str(data_dir)]
    command += ["--out", str(tmp_path), *STEPS, "--no-export"]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("step 1/4"):
                process.send_signal(signal.SIGTERM)
                break
        rest = process.stdout.read()
        code = process.wait(timeout=300)
    assert code == 128 + signal.SIGTERM, rest
    assert "run the same command to continue" in rest
    stopped_at = _checkpoint(tmp_path)["progress"].step
    assert 1 <= stopped_at < 4
    assert _train(data_dir, tmp_path, "--no-export") == 0
    _assert_same_state(_checkpoint(uninterrupted), _checkpoint(tmp_path))


@pytest.mark.slow
@needs_train_extra
def test_other_settings_are_refused_on_the_same_folder(
    data_dir: Path, resumed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from training.train import main

    argv = ["--data", str(data_dir), "--out", str(resumed), *STEPS, "--seed", "7"]
    assert main(argv) == 1
    assert "seed" in capsys.readouterr().err
    assert _checkpoint(resumed)["progress"].step == 4


@pytest.mark.slow
@needs_train_extra
def test_the_exported_gguf_loads_in_llama_cpp_and_moves_the_logits(
    data_dir: Path, resumed: Path
) -> None:
    from training.check import check_answer, check_logits

    assert _train(data_dir, resumed, "--export-only") == 0
    adapter = resumed / "adapter.gguf"
    manifest = json.loads((resumed / "manifest.json").read_text(encoding="utf-8"))
    size = adapter.stat().st_size
    assert 0 < size <= 20_000_000
    assert manifest["adapter"]["sha256"] == _sha256(adapter)
    assert manifest["adapter"]["bytes"] == size
    assert manifest["base_model"]["sha256"] == _sha256(embedded_model_path())
    # The GGUF names its base by its hub id, not by this machine's path to it.
    import gguf

    fields = gguf.GGUFReader(adapter).fields
    name = fields["general.base_model.0.name"]
    assert "SmolLM2" in bytes(name.parts[name.data[0]]).decode()
    assert "site-packages" not in adapter.read_bytes()[:65536].decode("latin-1")
    assert manifest["training"]["steps"] == 4 and manifest["training"]["complete"]
    assert manifest["data"]["train"]["per_task"] == {"events": {"read": 4, "kept": 4, "skipped": 0}}
    assert manifest["data"]["prepared"] == {"sources": {"fixtures": "hand-written for tests"}}
    measured = [p for p in manifest["curve"] if p["heldout_loss"] is not None]
    assert [p["step"] for p in measured] == [0, 2, 4]
    assert all(p["heldout_by_task"].keys() == {"claim_label", "events"} for p in measured)
    assert manifest["command"].startswith("python -m training.train --data ")
    assert {"torch", "transformers", "peft"} <= manifest["versions"].keys()
    assert manifest["code"].keys() == {"commit", "uncommitted_changes", "package_hash"}
    reference = json.loads((resumed / "adapter_check.json").read_text(encoding="utf-8"))
    assert len(reference["input_ids"]) - reference["answer_start"] >= 20
    # Raises (CheckFailed) when llama.cpp's logits do not move, or move unlike torch's.
    line = check_logits(embedded_model_path(), resumed, reference, threads=1)
    assert "correlates with torch's" in line and "not judged" not in line
    assert "events answer parsed" in check_answer(adapter, SEED_FIXTURE, threads=1)


def _sha256(path: Path) -> str:
    from training.data import sha256_of

    return sha256_of(path)


@pytest.mark.slow
@needs_train_extra
def test_a_run_can_start_from_an_earlier_adapter(
    data_dir: Path, uninterrupted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _train(data_dir, uninterrupted, "--export-only") == 0
    earlier = uninterrupted / "adapter"
    # The starting adapter is part of the run: the same folder without it is refused.
    assert _train(data_dir, tmp_path / "on", "--no-export", "--init-from", str(earlier)) == 0
    assert _train(data_dir, tmp_path / "on", "--no-export") == 1
    assert "init_from" in capsys.readouterr().err
    # With no learning the run ends with the very weights it started from.
    frozen = tmp_path / "frozen"
    assert _train(data_dir, frozen, "--no-export", "--lr", "0", "--init-from", str(earlier)) == 0
    first, again = _checkpoint(uninterrupted), _checkpoint(frozen)
    assert again["identity"]["init_from"]["path"] == str(earlier.resolve())
    for name, tensor in first["adapter"].items():
        assert torch_equal(tensor, again["adapter"][name]), name
    # An adapter of another shape is refused in one line.
    assert _train(data_dir, tmp_path / "other", "--rank", "8", "--init-from", str(earlier)) == 1
    assert "give the same --rank" in capsys.readouterr().err


def torch_equal(one: Any, other: Any) -> bool:
    import torch

    return bool(torch.equal(one, other))
