from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import ConfigError
from summarizer.settings import EMBEDDED_MODEL, load_settings


def test_defaults_use_the_embedded_model() -> None:
    settings = load_settings()
    assert settings.backend == "embedded" and settings.model_name == EMBEDDED_MODEL
    assert settings.strategy == "per_task" and settings.threads >= 1


def test_arguments_beat_environment_beat_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "from-env")
    monkeypatch.setenv("SUMMARIZER_STRATEGY", "combined")
    from_env = load_settings()
    assert (from_env.base_url, from_env.model, from_env.strategy) == (
        "http://127.0.0.1:1/v1",
        "from-env",
        "combined",
    )
    assert from_env.backend == "openai"
    given = load_settings(base_url="http://127.0.0.1:2/v1", model="arg", strategy=None)
    assert (given.base_url, given.model, given.strategy) == (
        "http://127.0.0.1:2/v1",
        "arg",
        "combined",
    )


def test_our_variable_beats_the_openai_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://127.0.0.1:3/v1")
    assert load_settings().base_url == "http://127.0.0.1:3/v1"


def test_api_key_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-sentinel-123")
    settings = load_settings(model="gpt-x")
    assert "sk-sentinel-123" not in repr(settings) and "sk-sentinel-123" not in str(settings)
    assert settings.backend == "openai" and settings.base_url is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"model": "gpt-9"}, "unknown model 'gpt-9'"),
        ({"strategy": "magic"}, "strategy"),
        ({"temperature": -1}, "temperature"),
        ({"max_output_tokens": 5}, "max_output_tokens"),
    ],
)
def test_bad_settings_are_config_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(**overrides)


def test_the_embedded_model_uses_the_rules_it_could_not_beat() -> None:
    embedded = load_settings()
    assert (embedded.claim_labelling, embedded.extraction) == ("rule", "rule")
    endpoint = load_settings(base_url="http://127.0.0.1:1/v1", model="m")
    assert (endpoint.claim_labelling, endpoint.extraction) == ("generated", "model")
    chosen = load_settings(claim_labels="scores", extractor="model")
    assert (chosen.claim_labelling, chosen.extraction) == ("scores", "model")
    # Both decide an answer, so both are in the cache key.
    assert {"claim_labels", "extractor", "candidates"} <= set(embedded.pipeline_options())


def test_the_adapter_setting_names_a_file_and_its_hash_keys_its_calls(tmp_path: Path) -> None:
    import hashlib

    from summarizer.adapters import SHIPPED
    from summarizer.cache import call_key, call_parts

    with pytest.raises(ConfigError, match=r"adapter: .*no such file"):
        load_settings(adapter=str(tmp_path / "missing.gguf"))
    # auto is the shipped adapter when the package has one, else the base model alone.
    assert load_settings().adapter_file == (SHIPPED if SHIPPED.is_file() else None)
    assert load_settings(adapter="none").adapter_file is None
    one, two = tmp_path / "one.gguf", tmp_path / "two.gguf"
    one.write_bytes(b"lora one")
    two.write_bytes(b"lora two")
    tuned = load_settings(adapter=str(one))
    assert tuned.adapter_file == one
    assert call_parts(tuned, tuned=True)["adapter"] == hashlib.sha256(b"lora one").hexdigest()[:16]
    assert call_parts(load_settings(adapter="none"), tuned=True)["adapter"] is None
    keys = {
        call_key(load_settings(adapter=a), "events", [], {}, tuned=True)
        for a in ("none", str(one), str(two))
    }
    assert len(keys) == 3
    # A call the adapter does not answer is the base model's, whichever adapter is loaded.
    base = {call_key(load_settings(adapter=a), "events", [], {}) for a in ("none", str(one))}
    assert len(base) == 1
    # An endpoint runs no adapter, whatever the setting says.
    endpoint = load_settings(adapter=str(one), base_url="http://127.0.0.1:9/v1", model="m")
    assert endpoint.adapter_file is None
