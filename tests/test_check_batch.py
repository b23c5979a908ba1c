"""check_table: the batch check of a corpus, locally and on a Dask Client (same report)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from survkit.check import check_table

#: The corpus of tests/test_check_cli.py::test_csv_batch, whose expected verdicts these are:
#: a bad text, an invalid n and a hazard ratio each give one row; the numbers-only row
#: "50% (40, 60)" (no n) is possible under every transform.
CORPUS = pd.DataFrame(
    {
        "text": [
            "68% (95% CI, 43 to 100)",
            "54% (95% CI, 29\u2013100)",
            "nonsense",
            "50% (40, 60)",
            "68% (95% CI, 43 to 100)",
            "HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002",
        ],
        "n": ["10", "10", "10", "", "0", ""],
        "n_risk_at": ["", "4", "", "", "", ""],
    }
)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_check_table_local() -> None:
    res = check_table(CORPUS)
    assert (res.n_rows, res.n_errors) == (6, 2)
    rep = res.to_frame()
    assert list(rep.row) == [1, 2, 3, 4, 5, 6]
    assert rep.consistent[0] == "log" and rep.log_histories[0] == 1
    assert rep.log_histories[1] == 2
    assert "cannot parse" in rep.error[2]
    assert rep.consistent[3] == "plain;log;log-log;logit;arcsin;hand"
    assert "n must be >= 1" in rep.error[4]
    assert rep.kind[5] == "hazard_ratio" and rep.consistent[5] == "yes"


def test_check_table_on_a_client_equals_local(client: Any) -> None:
    local = check_table(CORPUS).to_frame()
    remote = check_table(CORPUS, client=client).to_frame()
    pd.testing.assert_frame_equal(remote, local)


def test_check_table_default_n_and_bad_arguments() -> None:
    t = pd.DataFrame({"estimate": ["68"], "lower": ["43"], "upper": ["100"]})
    assert check_table(t, n=10).to_frame().consistent[0] == "log"
    empty = check_table(t.iloc[:0])
    assert empty.n_rows == 0 and empty.n_errors == 0 and "error" in empty.to_frame().columns
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        check_table([{"text": "68%"}])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a 'text' column"):
        check_table(pd.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match="rounding must be one of"):
        check_table(t, rounding="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n must be a positive integer"):
        check_table(t, n=0)
