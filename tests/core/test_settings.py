from __future__ import annotations

import pytest

from counterpoint.errors import SettingsError
from counterpoint.settings import Settings, load_settings


def test_precedence_file_env_overrides(tmp_path):
    f = tmp_path / "cp.toml"
    f.write_text('embedder = "e5"\nalign_z = 2.5\nlanguages = ["de", "en"]\n')
    s = load_settings(f, env={})
    assert (s.embedder, s.align_z, s.languages) == ("e5", 2.5, ("de", "en"))
    s = load_settings(f, env={"COUNTERPOINT_ALIGN_Z": "3.5", "COUNTERPOINT_LANGUAGES": "de,fr"})
    assert (s.align_z, s.languages) == (3.5, ("de", "fr"))
    s = load_settings(f, env={"COUNTERPOINT_ALIGN_Z": "3.5"}, overrides={"align_z": 1.0, "embedder": None})
    assert (s.align_z, s.embedder) == (1.0, "e5")


def test_defaults_and_help():
    s = load_settings(env={})
    assert s == Settings()
    assert all(Settings.help().values())


@pytest.mark.parametrize(
    ("content", "env"),
    [
        ('nonsense = 1\n', {}),
        ('embedder = "gpt"\n', {}),
        ('align_z = "high"\n', {}),
        ("this is not toml", {}),
        ("", {"COUNTERPOINT_MAX_BYTES": "lots"}),
    ],
)
def test_bad_settings_are_one_line_errors(tmp_path, content, env):
    f = tmp_path / "cp.toml"
    f.write_text(content)
    with pytest.raises(SettingsError) as info:
        load_settings(f, env=env)
    assert "\n" not in str(info.value)
