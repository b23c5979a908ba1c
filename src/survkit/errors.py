"""Exception types shared across layers.

:class:`RowError` is the ``ValueError`` an input table raises about one of its rows. Its
message counts rows from 0 (positions, as numpy and pandas ``iloc`` do); the attributes let a
caller that read the table from a file (the command line) name the file and count the rows as a
spreadsheet shows them.
"""

from __future__ import annotations


class RowError(ValueError):
    """A bad value in one row of an input table.

    Parameters
    ----------
    argument : str
        The argument holding the table (``"points"``, ``"risk_table"``...).
    row : int
        0-based position of the offending row in the table as given.
    problem : str
        What is wrong, without the row (``"survival must lie in [0, 1]"``).
    value : object
        The offending value.
    """

    def __init__(self, argument: str, row: int, problem: str, value: object) -> None:
        self.argument = argument
        self.row = int(row)
        self.problem = problem
        self.value = value
        super().__init__(
            f"{argument}: {problem}; row {self.row} (0-based position) has {value!r}"
        )
