from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bridge.domain.errors import InvalidInput
from bridge.domain.hours import WeeklyHours, parse_interval
from bridge.domain.text import clean_message, fold, matches, search_tokens


def test_fold_drops_case_and_accents() -> None:
    assert fold("João Conceição") == "joao conceicao"


def test_search_tokens_include_words_email_and_phone_digits() -> None:
    tokens = search_tokens("João Silva", "joao@loja.com.br", "+55 (11) 98765-4321")
    assert {"joao", "silva", "joao@loja.com.br", "5511987654321"} <= tokens


def test_matches_needs_every_word() -> None:
    assert matches("Pedido atrasado da Conceição", "conceicao atrasado")
    assert not matches("Pedido atrasado", "conceicao")


def test_oversized_text_is_refused_not_cut() -> None:
    with pytest.raises(InvalidInput) as e:
        clean_message("x" * 11, limit=10)
    assert "too long: 11 characters (limit 10)" in str(e.value)


def test_control_characters_are_removed() -> None:
    assert clean_message("a\x00b\x07c\nd", limit=10) == "abc\nd"


def test_business_hours_follow_the_zone() -> None:
    hours = WeeklyHours(ZoneInfo("America/Sao_Paulo"), {2: (parse_interval("09:00-18:00"),)})
    wednesday_noon_sp = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 12:00 in São Paulo
    wednesday_night_sp = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)  # 20:00 in São Paulo
    assert hours.is_open(wednesday_noon_sp)
    assert not hours.is_open(wednesday_night_sp)
    opening = hours.next_opening(wednesday_night_sp)
    assert opening is not None
    assert opening.day == 2
    assert opening.hour == 9


def test_bad_intervals_say_why() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_interval("18:00-09:00")
    with pytest.raises(ValueError, match="expected HH:MM"):
        parse_interval("9h-18h")
