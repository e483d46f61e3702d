"""`govgate report` arguments, and the constants the parser repeats to stay cheap to build."""

from __future__ import annotations

import pytest

from govgate.cli import build_parser, main
from govgate.commands import report as command
from govgate.portfolio.kpis import STALE_AFTER_DAYS
from govgate.sources.mlflow.base import MAX_SEARCH_PAGE_SIZE


def test_the_parser_defaults_are_the_library_constants() -> None:
    assert command.DEFAULT_PAGE_SIZE == MAX_SEARCH_PAGE_SIZE
    assert command.DEFAULT_STALE_DAYS == STALE_AFTER_DAYS
    args = build_parser().parse_args(["report"])
    assert (args.page_size, args.stale_days, args.format) == (MAX_SEARCH_PAGE_SIZE, 90, ["json"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--page-size", "0"], "0 is below 1"),
        (["--page-size", "10001"], "10001 is above 10000"),
        (["--page-size", "many"], "'many' is not a whole number"),
        (["--format", "json,pdf"], "unknown format(s) pdf"),
        (["--at", "tomorrow"], "'tomorrow' is not ISO 8601"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["report", *argv])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_no_registry_is_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert main(["report"]) == 2
    assert capsys.readouterr().err == (
        "govgate: error: govgate report needs an MLflow registry "
        "(pass --tracking-uri, --config with mlflow.tracking_uri, or set MLFLOW_TRACKING_URI)\n"
    )
