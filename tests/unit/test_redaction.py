"""The one scrubbing function: every form of a credential govgate sent becomes `***`."""

from __future__ import annotations

import base64

from govgate.redaction import MASK, Scrubber


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_bearer_token_is_masked_wherever_it_appears() -> None:
    scrub = Scrubber.for_credentials(tokens=["tok-1234"]).scrub
    assert scrub("Authorization: Bearer tok-1234 (tok-1234)") == "Authorization: Bearer *** (***)"


def test_basic_credentials_are_masked_raw_decoded_and_base64() -> None:
    scrubber = Scrubber.for_credentials(basic=[("alice", "pw-8d2e")])
    echoed = (
        f"Authorization: Basic {b64('alice:pw-8d2e')} "
        f"user=alice:pw-8d2e unpadded={b64('alice:pw-8d2e').rstrip('=')}"
    )
    text = scrubber.scrub(echoed)
    assert "pw-8d2e" not in text and b64("alice:pw-8d2e").rstrip("=") not in text
    assert text.startswith("Authorization: Basic *** user=alice:***")


def test_uri_userinfo_is_masked_encoded_and_decoded() -> None:
    scrubber = Scrubber.for_credentials(uris=["http://bob:p%40ss%2Fw0rd@127.0.0.1:5000"])
    for form in ("p%40ss%2Fw0rd", "p@ss/w0rd", b64("bob:p@ss/w0rd")):
        assert scrubber.scrub(f"said {form}!") == f"said {MASK}!"
    assert scrubber.scrub("http://bob:p%40ss%2Fw0rd@host") == "http://bob:***@host"


def test_a_bare_user_in_the_uri_is_the_credential() -> None:
    scrubber = Scrubber.for_credentials(uris=["https://ghp_tokenAsUser99@git.example.com"])
    assert (
        scrubber.scrub("https://ghp_tokenAsUser99@git.example.com") == "https://***@git.example.com"
    )
    assert scrubber.scrub(b64("ghp_tokenAsUser99:")) == MASK


def test_every_token_variable_of_the_environment_is_a_secret() -> None:
    env = {
        "MLFLOW_TRACKING_TOKEN": "mlflow-tok-1",
        "MLFLOW_TRACKING_USERNAME": "carol",
        "MLFLOW_TRACKING_PASSWORD": "mlflow-pw-2",
        "DATABRICKS_TOKEN": "dapi-tok-3",
        "GITHUB_TOKEN": "ghs-tok-4",
        "GOVGATE_GITHUB_TOKEN": "ghs-tok-5",
        "GITLAB_TOKEN": "glpat-tok-6",
        "GOVGATE_GITLAB_TOKEN": "glpat-tok-7",
        "GOVGATE_OPA_TOKEN": "opa-tok-8",
        "MLFLOW_TRACKING_URI": "http://dave:uri-pw-9@mlflow:5000",
        "HOME": "/home/ci",
    }
    scrubber = Scrubber.from_environment(env)
    secrets = [v for k, v in env.items() if k.endswith(("TOKEN", "PASSWORD"))]
    text = scrubber.scrub(" ".join([*secrets, "uri-pw-9", b64("carol:mlflow-pw-2"), "/home/ci"]))
    assert text == " ".join([MASK] * (len(secrets) + 2) + ["/home/ci"])


def test_scrub_first_then_cut_never_leaves_a_prefix() -> None:
    token = "ghs_straddlingToken0042"
    scrubber = Scrubber.for_credentials(tokens=[token])
    message = "x" * 190 + token + " tail"
    clipped = scrubber.clip(message, 200)
    assert len(clipped) <= 200 and token[:4] not in clipped
    assert clipped == "x" * 190 + MASK + " tail"


def test_the_longest_form_wins_and_a_mask_is_never_scrubbed_again() -> None:
    scrubber = Scrubber.for_credentials(tokens=["abc", "abcdef", "*"])
    assert scrubber.scrub("abcdef abc *") == "*** *** ***"


def test_no_secret_no_change_and_scrubbers_combine() -> None:
    assert Scrubber().scrub("nothing to hide") == "nothing to hide"
    both = Scrubber.for_credentials(tokens=["one-secret"]) | Scrubber.for_credentials(
        tokens=["two-secret"]
    )
    assert both.scrub("one-secret two-secret") == "*** ***"
    assert Scrubber.for_credentials(tokens=["", ""]).secrets == frozenset()
