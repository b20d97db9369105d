"""Text columns whose cells hold lists (session-5 QA).

A Parquet ``list<string>`` qualification column crashed ``pv-identify tag`` with a
bare ``TypeError: unhashable type: 'numpy.ndarray'`` (CSV output) or an
``ArrowNotImplementedError`` (Parquet output); a frame with list cells crashed
``pv.tag``. Each is now a ColumnMappingError naming the column.
"""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.cli import main
from pv_identify.errors import ColumnMappingError
from pv_identify.text import tag_texts


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_list_column_read_by_the_rules_is_named(tmp_path, capsys, suffix):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "list.parquet"
    pq.write_table(pa.table({"artikelkwalificatie": pa.array([["mishandeling van zijn vrouw"],
                                                              ["diefstal"]])}), path)
    out = tmp_path / f"out.{suffix}"
    assert main(["tag", str(path), "-o", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pv-identify: error: column 'artikelkwalificatie' holds ")
    assert "zijn vrouw" not in err and "Traceback" not in err
    assert not out.exists()


def test_list_and_dict_cells_in_frames():
    with pytest.raises(ColumnMappingError, match="column 'artikelkwalificatie' holds list"):
        pv.tag(pd.DataFrame({"artikelkwalificatie": [["mishandeling van zijn vrouw"], "x"]}))
    with pytest.raises(ColumnMappingError, match="column 'wetsartikel' holds dict"):
        pv.tag(pd.DataFrame({"artikelkwalificatie": ["x"], "wetsartikel": [{"a": 1}]}))
    with pytest.raises(ColumnMappingError, match="column 'tekst' holds list"):
        tag_texts(pd.Series([["Hij sloeg zijn vrouw"], "x"], name="tekst"))
