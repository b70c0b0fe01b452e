from bridge.domain.model import ConversationState
from tests.scenario import Scenario


async def test_a_conversation_goes_from_greeting_to_the_queue(scenario: Scenario) -> None:
    c = await scenario.queued("vendas")
    assert c.state is ConversationState.QUEUED
    assert c.department_id == "vendas"
    assert c.form == {"name": "Maria", "email": "maria@x.com"}
