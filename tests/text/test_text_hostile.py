"""``tag_texts`` on inputs that are not a column of texts (session-5 QA).

One string was tagged character by character (20 rows of 'none' for "Hij sloeg zijn
vrouw"), and a DataFrame had its column names tagged; both now raise TypeError.
Columns holding None, NaN, numbers and bytes keep their length, index and order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pv_identify.text import tag_texts


@pytest.mark.parametrize("texts", ["Hij sloeg zijn vrouw", b"Hij sloeg zijn vrouw",
                                   pd.DataFrame({"tekst": ["Hij sloeg zijn vrouw"]})])
def test_one_text_or_a_frame_is_refused(texts):
    with pytest.raises(TypeError, match="column of texts"):
        tag_texts(texts)


def test_odd_values_keep_length_index_and_order():
    texts = pd.Series(["Hij sloeg zijn vrouw", None, np.nan, 5, pd.NA, "x"],
                      index=pd.MultiIndex.from_tuples([(1, "a"), (1, "a"), (0, "b"),
                                                       (2, "c"), (2, "c"), (0, "a")]))
    before = texts.copy()
    out = tag_texts(texts)
    assert out.index.equals(texts.index)
    assert out["pv_label"].astype(str).tolist() == ["partner"] + ["none"] * 5
    pd.testing.assert_series_equal(texts, before)
