"""The window with a base URL no request can be made of: the connection bar or the
profile says so at the field, before sending; what only the HTTP library knows is said as
the connection's problem when Submit is pressed, with nothing sent, never as a fault of
the app or a link that may have been added."""

from __future__ import annotations

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.main_window_support import (
    WAIT_MS,
    assert_the_connection_stops_a_send,
    button,
    candidate_id,
    fill_form,
    posts,
    submit_and_wait,
    window_to,
)
from tests.profiles_support import earlier_entry, picker_of, shown_window, write_earlier_file

#: What the field says of a host written as an IPv4 address that is none.
NOT_AN_ADDRESS = (
    "The base URL has 256.1.1.1 as its host, which is not an IP address: each of its four "
    "numbers goes up to 255"
)


def test_the_bar_says_a_host_that_is_no_ip_address_at_its_field(qtbot, fresh_sandbox):
    window = window_to(qtbot, fresh_sandbox, "https://256.1.1.1/v1")
    assert_the_connection_stops_a_send(
        qtbot, window, fresh_sandbox, problem=NOT_AN_ADDRESS, field="Base URL", key=DEMO_API_KEY
    )


def test_a_host_name_only_the_library_refuses_is_the_connections_problem(qtbot, fresh_sandbox):
    # Coded, it stands for "a·b": only the rules of international names refuse it (a
    # middle dot stands only between two l's).
    window = window_to(qtbot, fresh_sandbox, "https://xn--ab-0ea.example/v1")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    message = window.response.message()
    assert message is not None
    assert message.text == (
        f"The result link was not added to candidate {candidate_id(fresh_sandbox)}. Nothing "
        "was sent. The base URL cannot be used: its host name xn--ab-0ea.example is not a "
        "valid internet name. Correct the connection's base URL, then try again."
    )
    assert not message.may_have_been_applied
    assert window.response.state() == "error"
    # Nothing to send again as it is: the address must change first.
    assert button(window, "Retry").isHidden()
    assert posts(fresh_sandbox) == []


def test_a_profile_saved_earlier_with_such_an_address_loads_and_says_it(
    qtbot, app_home, memory_keyring, fresh_sandbox
):
    write_earlier_file(
        earlier_entry(
            "p1",
            "Acme",
            region=None,
            base_url="https://256.1.1.1/v1",
            key_environment="Development",
        )
    )
    KeyStore().set("p1", DEMO_API_KEY)
    store = ProfileStore()
    assert store.load().message is None  # kept, not set aside as damaged
    window = shown_window(qtbot, store)
    picker = picker_of(window)
    picker.select_profile("p1")
    qtbot.waitUntil(lambda: NOT_AN_ADDRESS in (picker.connection_problem() or ""), timeout=WAIT_MS)
    assert picker.current_connection() is None
    # Where to change it, as for a key that cannot be used.
    assert (picker.connection_problem() or "").endswith("Correct the base URL in Manage profiles.")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    assert not button(window, "Submit").isEnabled()
    assert posts(fresh_sandbox) == []
