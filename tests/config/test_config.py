"""Config validation: every error names the file, the key path and the line."""

import subprocess
import sys
from pathlib import Path

import pytest

from bridge.settings import ConfigError, load_settings, parse_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD = """\
departments:
  - id: vendas
    name: Vendas
    slack_channel: C0VENDAS
agents:
  - id: ana
    name: Ana
    slack_user: U0ANA
    departments: [vendas]
"""


def errors(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as e:
        parse_settings(text, "config.yaml", env or {})
    return str(e.value).splitlines()


def test_a_minimal_config_is_valid_and_defaults_fill_the_rest() -> None:
    s = parse_settings(GOOD, "config.yaml", {})
    assert s.server.port == 8080
    assert s.redis.prefix == "ponte:"
    assert s.agents[0].max_chats == 5
    assert not s.slack.active


def test_the_example_config_is_valid() -> None:
    s = load_settings(ROOT / "config" / "example.yaml", env={})
    assert [d.id for d in s.departments] == ["vendas", "suporte", "financeiro"]
    assert len(s.agents) == 5
    assert s.departments[0].timezone == "America/Sao_Paulo"
    assert [f.id for f in s.flow.form] == ["name", "email"]


def test_the_example_turns_slack_and_telegram_on_from_the_environment() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "TELEGRAM_BOT_TOKEN": "1:x"}
    s = load_settings(ROOT / "config" / "example.yaml", env=env)
    assert s.slack.active
    assert s.slack.mode == "http"
    assert s.telegram.active
    assert s.telegram.effective_mode == "polling"


def test_unknown_keys_are_errors_with_path_and_line() -> None:
    text = GOOD.replace("    name: Ana\n", "    name: Ana\n    colour: blue\n")
    assert errors(text) == ["config.yaml:8 agents[0].colour: unknown key"]


def test_bad_values_name_their_key_path() -> None:
    text = GOOD.replace("departments: [vendas]", "departments: [vendas]\n    max_chats: 0")
    [line] = errors(text)
    assert line.startswith("config.yaml:10 agents[0].max_chats: ")
    assert "greater than or equal to 1" in line


def test_references_are_checked() -> None:
    text = GOOD + "  - id: bia\n    name: Bia\n    departments: [vendas, marketing]\n"
    assert errors(text) == [
        "config.yaml:12 agents[1].departments[1]: unknown department 'marketing'"
    ]


def test_two_departments_may_not_share_a_slack_channel() -> None:
    text = GOOD.replace(
        "agents:", "  - id: suporte\n    name: Suporte\n    slack_channel: C0VENDAS\nagents:"
    )
    assert errors(text) == [
        "config.yaml:7 departments[1].slack_channel: 'C0VENDAS' is already used by departments[0]"
    ]


def test_every_issue_is_reported_not_just_the_first() -> None:
    text = GOOD + "  - id: bia\n    name: Bia\n    departments: [x]\n  - id: ana\n    name: Ana2\n"
    lines = errors(text)
    assert "config.yaml:12 agents[1].departments[0]: unknown department 'x'" in lines
    assert "config.yaml:13 agents[2].id: 'ana' is already used by agents[0]" in lines


def test_yaml_syntax_errors_give_the_line() -> None:
    [line] = errors("departments:\n  - id: vendas\n   name: [oops\n")
    assert line.startswith("config.yaml:3: YAML syntax error")


def test_duplicate_keys_are_errors() -> None:
    assert errors(GOOD + "language: en\nlanguage: pt-BR\n") == [
        "config.yaml:11 language: duplicate key"
    ]


def test_missing_environment_variables_are_named() -> None:
    text = GOOD + "slack:\n  bot_token: ${SLACK_BOT_TOKEN}\n"
    assert errors(text) == [
        "config.yaml:11 slack.bot_token: environment variable SLACK_BOT_TOKEN is not set"
    ]


def test_secrets_written_in_the_file_are_refused() -> None:
    text = GOOD + "telegram:\n  bot_token: 123456:ABCDEF\n"
    assert errors(text) == [
        "config.yaml:11 telegram.bot_token: secrets must come from the environment: "
        "write ${TELEGRAM_BOT_TOKEN} and set it"
    ]


def test_enabled_channels_need_their_secrets() -> None:
    text = GOOD + "slack:\n  enabled: true\n  bot_token: ${T}\n"
    assert errors(text, {"T": "xoxb-1"}) == [
        "config.yaml:10 slack: enabled, but signing_secret not set"
    ]


def test_time_zones_and_hours_are_checked() -> None:
    text = GOOD.replace(
        "    slack_channel: C0VENDAS",
        "    timezone: Mars/Olympus\n    hours: {mon-fry: ['09:00-18:00']}",
    )
    lines = errors(text)
    assert "config.yaml:4 departments[0].timezone: unknown time zone 'Mars/Olympus'" in lines
    assert any(
        line.startswith("config.yaml:5 departments[0].hours: ") and "unknown day" in line
        for line in lines
    )


def test_check_config_exits_2_with_the_errors_and_0_when_valid(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("name: Vendas", "nome: Vendas"))
    run = subprocess.run(
        [sys.executable, "-m", "bridge", "check-config", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert f"{bad}:3 departments[0].nome: unknown key" in run.stderr
    assert f"{bad}:2 departments[0].name: required key is missing" in run.stderr
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    ok = subprocess.run(
        [sys.executable, "-m", "bridge", "check-config", str(good)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ok.returncode == 0
    assert f"{good}: OK" in ok.stdout


def test_run_refuses_a_missing_file_clearly(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bridge", "run", "--config", str(tmp_path / "no.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert "no.yaml: cannot read: No such file or directory" in run.stderr


def test_a_site_identity_secret_must_come_from_the_environment() -> None:
    text = GOOD + "widget:\n  sites:\n    shop:\n      identity_secret: hunter2\n"
    assert errors(text) == [
        "config.yaml:13 widget.sites.shop.identity_secret: secrets must come from the "
        "environment: write ${WIDGET_SITES_SHOP_IDENTITY_SECRET} and set it"
    ]


def test_rules_are_validated_and_merged_per_department() -> None:
    assert errors(GOOD + "rules:\n  reopen: sometimes\n") == [
        'config.yaml:11 rules.reopen: use "always", "never" or "within <minutes>" '
        '(e.g. "within 60")'
    ]
    text = GOOD.replace(
        "    slack_channel: C0VENDAS", "    slack_channel: C0VENDAS\n    rules: {reopen: within 30}"
    )
    s = parse_settings(
        text + "rules:\n  reopen: always\n  waiting_alert_minutes: 7\n", "c.yaml", {}
    )
    from bridge.settings.directory import Directory

    rules = Directory(s).rules("vendas")
    assert (rules.reopen.value, rules.reopen_minutes, rules.waiting_alert_minutes) == (
        "within",
        30,
        7,
    )


def test_quick_replies_name_existing_departments() -> None:
    text = GOOD + "quick_replies:\n  - name: ola\n    text: Oi\n    departments: [nope]\n"
    assert errors(text) == [
        "config.yaml:13 quick_replies[0].departments[0]: unknown department 'nope'"
    ]
