import pytest

from bridge.domain.errors import IllegalTransition
from bridge.domain.model import ConversationState
from bridge.domain.states import NEXT, Action, allowed_from, lua_table, next_state


def test_the_happy_path_follows_the_table() -> None:
    state = ConversationState.AUTOMATIC
    for action in (Action.ENQUEUE, Action.CLAIM, Action.CLOSE):
        state = next_state("c_x", state, action)
    assert state is ConversationState.CLOSED


def test_an_illegal_transition_names_both_sides() -> None:
    with pytest.raises(IllegalTransition) as e:
        next_state("c_abc", ConversationState.CLOSED, Action.CLAIM)
    assert str(e.value) == "cannot claim conversation c_abc in state closed (expected queued)"
    assert e.value.current == "closed"


def test_closed_accepts_only_rating_notes_edits_notices_and_reopening() -> None:
    allowed = {a for (s, a) in NEXT if s is ConversationState.CLOSED}
    assert allowed == {
        Action.RATE,
        Action.NOTE,
        Action.EDIT,
        Action.SYSTEM_NOTICE,
        Action.REOPEN,
        Action.REOPEN_TO_AGENT,
    }


def test_claim_is_allowed_only_from_the_queue() -> None:
    assert allowed_from(Action.CLAIM) == (ConversationState.QUEUED,)


def test_the_lua_literal_holds_every_row() -> None:
    table = lua_table()
    assert table.count("=") == len(NEXT)
    assert '["queued|claim"]="in_service"' in table
