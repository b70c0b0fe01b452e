from bridge.domain.flow import (
    BotAnswer,
    ChooseDepartment,
    CustomerText,
    FieldKind,
    FlowSpec,
    FlowStep,
    FormField,
    MenuItem,
    MenuPick,
    SubmitForm,
    advance,
    first_step,
    validate_form,
)
from bridge.domain.ids import DepartmentId

V, S = DepartmentId("vendas"), DepartmentId("suporte")
FORM = (
    FormField("name", "Name", FieldKind.TEXT, required=True),
    FormField("email", "E-mail", FieldKind.EMAIL, required=True),
    FormField("phone", "Phone", FieldKind.PHONE),
    FormField("topic", "Topic", FieldKind.SELECT, options=("order", "other")),
)
SPEC = FlowSpec(
    departments=(V, S),
    default_department=V,
    form=FORM,
    bot=True,
    answers=(BotAnswer(("prazo", "entrega"), "Two days."),),
    menu=(MenuItem("hours", "Hours", "9 to 5"), MenuItem("human", "A person")),
    handoff_keywords=("atendente",),
    handoff_text="Passing you on.",
)


def test_two_departments_start_with_the_choice_one_skips_it() -> None:
    assert first_step(SPEC).step is FlowStep.DEPARTMENT
    single = FlowSpec(departments=(V,), default_department=V)
    result = first_step(single)
    assert (result.step, result.department) == (FlowStep.DONE, V)


def test_an_unknown_department_is_an_error_not_a_move() -> None:
    result = advance(SPEC, FlowStep.DEPARTMENT, None, ChooseDepartment(DepartmentId("x")))
    assert result.errors == {"department": "invalid"}
    assert result.step is FlowStep.DEPARTMENT


def test_form_errors_name_each_field() -> None:
    _, errors = validate_form(SPEC, {"email": "not-an-email", "phone": "12", "topic": "nope"})
    assert errors == {"name": "required", "email": "email", "phone": "phone", "topic": "option"}


def test_a_valid_form_moves_to_the_bot_with_its_menu() -> None:
    result = advance(
        SPEC,
        FlowStep.FORM,
        V,
        SubmitForm({"name": " Ana ", "email": "a@b.co", "phone": "+55 (11) 98765-4321"}),
    )
    assert result.step is FlowStep.BOT
    assert result.form == {"name": "Ana", "email": "a@b.co", "phone": "+55 (11) 98765-4321"}
    assert result.bot_messages[0].options == (("hours", "Hours"), ("human", "A person"))


def test_the_bot_answers_keywords_accent_insensitively() -> None:
    result = advance(SPEC, FlowStep.BOT, V, CustomerText("Qual o PRAZO de entrega?"))
    assert result.step is FlowStep.BOT
    assert result.bot_messages[0].text == "Two days."


def test_handoff_keyword_and_unknown_text_go_to_the_queue() -> None:
    assert advance(SPEC, FlowStep.BOT, V, CustomerText("quero um atendente")).enqueue
    assert advance(SPEC, FlowStep.BOT, V, CustomerText("something else")).enqueue


def test_menu_items_answer_or_hand_off() -> None:
    answered = advance(SPEC, FlowStep.BOT, V, MenuPick("hours"))
    assert answered.bot_messages[0].text == "9 to 5"
    assert not answered.enqueue
    assert advance(SPEC, FlowStep.BOT, V, MenuPick("human")).enqueue


def test_input_for_another_step_changes_nothing() -> None:
    result = advance(SPEC, FlowStep.DEPARTMENT, None, SubmitForm({"name": "x"}))
    assert result.step is FlowStep.DEPARTMENT
    assert not result.bot_messages
