"""The relationship classifier: a scikit-learn estimator over an extract.

:class:`RelationshipClassifier` takes the *extract itself* as ``X`` (one row per
offence, columns found as in :func:`pv_identify.tag`) and predicts the relationship
label of every offence. Internally it

1. computes the features once per distinct combination
   (:func:`pv_identify.model.features.build_features`), so a register that repeats
   itself costs what its distinct combinations cost;
2. trains on the distinct combinations with the number of offences as sample weight
   (identical to training on the rows);
3. vectorises like a ``ColumnTransformer`` -- character n-grams (``char_wb``, TF-IDF)
   of the normalised qualification next to binary one-hot codes of the token bag
   (article, MC, own/case/history signals, conjunctions, year, disposal kind) -- but
   each column once per distinct value;
4. fits a multinomial logistic regression and calibrates its probabilities with
   ``CalibratedClassifierCV`` (sigmoid, stratified folds, ``ensemble=False`` so one
   linear model explains every decision).

Estimator conventions: all parameters are set in ``__init__`` and stored unchanged,
``fit`` returns ``self``, fitted attributes end with ``_``, ``predict_proba`` gives
calibrated probabilities per label in the order of ``classes_``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from pv_identify.errors import PvIdentifyError
from pv_identify.model.features import FeatureSet, build_features
from pv_identify.schema import LABELS, NONE, PARTNER_LABELS

#: Feature combinations scored per batch (bounds memory; results do not depend on it).
SCORE_BATCH_ROWS = 25_000

#: The parts a decision is summed from (see :meth:`RelationshipClassifier.decision_table`).
SLOT, CONTEXT, YEAR = 0, 1, 2
#: Token prefixes of the slot part: the offence's own coded fields (its text n-grams
#: belong to the slot part too). ``year:`` tokens form the year part; every other token
#: (own signals, case, history, conjunctions, ``q:``) the context part.
SLOT_TOKEN_PREFIXES = ("art:", "disp:", "mc:")
YEAR_TOKEN_PREFIXES = ("year:",)


def token_part(token: str) -> int:
    """Return the part of the decision a token belongs to (SLOT, CONTEXT or YEAR)."""
    if token.startswith(SLOT_TOKEN_PREFIXES):
        return SLOT
    if token.startswith(YEAR_TOKEN_PREFIXES):
        return YEAR
    return CONTEXT


class TrainingDataError(PvIdentifyError, ValueError):
    """The training labels cannot be used (unknown labels, too few examples)."""


@dataclass(frozen=True)
class Contribution:
    """One feature's weight in a model decision.

    Parameters
    ----------
    feature : str
        Readable feature name (``tokens:mc:huiselijk_geweld`` or ``text:'gezel'``).
    weight : float
        Contribution to the log-odds of the decided label against ``none``.
    """

    feature: str
    weight: float


class RelationshipClassifier(ClassifierMixin, BaseEstimator):
    """Calibrated linear classifier of the victim-offender relationship per offence.

    Parameters
    ----------
    columns : mapping, optional
        Column mapping of the extracts passed as ``X`` (as in :func:`pv_identify.tag`).
    rules : str, pathlib.Path or RuleSet, default "default"
        The rule set whose terms, MC names and articles define the relationship
        features (its hash is recorded in ``ruleset_hash_``).
    C : float, default 4.0
        Inverse regularisation strength of the logistic regression.
    ngram_range : tuple of int, default (2, 5)
        Character n-gram lengths of the qualification text.
    min_df : int, default 2
        Minimum number of distinct combinations a text n-gram must occur in.
    max_text_features : int, default 20000
        Most frequent text n-grams kept.
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
        Probability calibration (None: the raw logistic-regression probabilities).
    cv : int, default 3
        Folds of the calibration.
    max_iter : int, default 300
        Iterations of the solver.
    tol : float, default 1e-3
        Stopping tolerance of the solver (looser than scikit-learn's default: the
        probabilities are calibrated afterwards and training stays fast).
    random_state : int, default 0
        Seed of the calibration folds.

    Attributes
    ----------
    classes_ : numpy.ndarray of str
        Labels seen in training, in the order of the ``predict_proba`` columns.
    text_vectorizer_ : sklearn.feature_extraction.text.TfidfVectorizer
        Character n-grams of the normalised qualification.
    token_vectorizer_ : sklearn.feature_extraction.text.CountVectorizer
        Binary one-hot codes of the token bag.
    calibrated_ : sklearn.calibration.CalibratedClassifierCV or None
        The calibrated classifier (None without calibration).
    linear_ : sklearn.linear_model.LogisticRegression
        The linear model whose coefficients explain decisions.
    n_train_rows_ : int
        Labelled offences used for training.
    n_train_combinations_ : int
        Distinct feature combinations they form.
    version_ : str
        Version string set by training/persistence (``"unversioned"`` after ``fit``).
    ruleset_hash_ : str
        Hash of the rule set the features were computed with in training; a tagger
        with another rule set warns.
    """

    def __init__(
        self,
        columns: Mapping[str, str | Sequence[str]] | None = None,
        rules: Any = "default",
        C: float = 4.0,
        ngram_range: tuple[int, int] = (2, 5),
        min_df: int = 2,
        max_text_features: int = 20000,
        calibration: str | None = "sigmoid",
        cv: int = 3,
        max_iter: int = 300,
        tol: float = 1e-3,
        random_state: int = 0,
    ) -> None:
        self.columns = columns
        self.rules = rules
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_text_features = max_text_features
        self.calibration = calibration
        self.cv = cv
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    # --- fitting ------------------------------------------------------------------

    def _make_vectorizers(self) -> tuple[TfidfVectorizer, CountVectorizer]:
        text = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range),
                               min_df=self.min_df, max_features=self.max_text_features,
                               sublinear_tf=True, dtype=np.float64)
        tokens = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True,
                                 dtype=np.float64)
        return text, tokens

    def _transform(self, table: pd.DataFrame, fit: bool = False) -> sp.csr_matrix:
        """Vectorise a feature table, each column once per distinct value.

        This is a ``ColumnTransformer`` of the two vectorisers, except that every
        distinct text (and token bag) is vectorised once and the rows are gathered
        from the result.
        """
        blocks = []
        for name, vectorizer in (("qualification", self.text_vectorizer_),
                                 ("tokens", self.token_vectorizer_)):
            codes, uniques = pd.factorize(table[name].astype(object))
            values = list(uniques)
            matrix = vectorizer.fit_transform(values) if fit else vectorizer.transform(values)
            blocks.append(sp.csr_matrix(matrix)[codes])
        return sp.hstack(blocks, format="csr")

    def feature_names(self) -> np.ndarray:
        """Names of the model's input features (``text:'...'`` n-grams, then tokens).

        Returns
        -------
        numpy.ndarray of str
            One name per column of the vectorised matrix.
        """
        check_is_fitted(self, "classes_")
        text = [f"text:{t!r}" for t in self.text_vectorizer_.get_feature_names_out()]
        return np.asarray(text + list(self.token_vectorizer_.get_feature_names_out()),
                          dtype=object)

    def fit(self, X: pd.DataFrame, y: Sequence[Any] | pd.Series | np.ndarray,
            sample_weight: np.ndarray | None = None) -> RelationshipClassifier:
        """Fit on an extract and one label per offence.

        Parameters
        ----------
        X : pandas.DataFrame
            The extract (all offences; case and person context is taken from it).
        y : array-like of str
            Label per offence (one of :data:`pv_identify.schema.LABELS`). Missing or
            empty labels mark offences that serve as context only (an annotation
            sheet labels a few offences of a larger extract).
        sample_weight : numpy.ndarray, optional
            Weight per offence (default 1).

        Returns
        -------
        RelationshipClassifier
            ``self``.

        Raises
        ------
        TrainingDataError
            On unknown labels, or fewer than two labels with enough examples.
        """
        compiled = self._compiled()
        features = build_features(X, self.columns, compiled)
        labels = pd.Series(np.asarray(y, dtype=object)).fillna("").astype(str).str.strip()
        if len(labels) != len(X):
            raise TrainingDataError(f"got {len(labels)} labels for {len(X)} offences")
        unknown = sorted(set(labels) - set(LABELS) - {""})
        if unknown:
            raise TrainingDataError(
                f"unknown label(s) {unknown[:5]}; expected one of {list(LABELS)} "
                "(or empty for unlabelled rows)")
        keep = (labels != "").to_numpy()
        weight = (np.ones(len(X)) if sample_weight is None
                  else np.asarray(sample_weight, dtype=float))
        frame = pd.DataFrame({"combo": features.codes[keep], "label": labels[keep].to_numpy(),
                              "w": weight[keep]})
        grouped = frame.groupby(["combo", "label"], sort=True)["w"].sum().reset_index()
        counts = grouped.groupby("label")["w"].size()
        if (counts >= max(self.cv, 2)).sum() < 2:
            raise TrainingDataError(
                "need at least two labels with a few distinct examples each; got "
                f"{counts.to_dict()}")
        table = features.table.iloc[grouped["combo"].to_numpy()].reset_index(drop=True)
        target = grouped["label"].to_numpy(dtype=object)
        w = grouped["w"].to_numpy(dtype=float)
        self.text_vectorizer_, self.token_vectorizer_ = self._make_vectorizers()
        matrix = self._transform(table, fit=True)
        linear = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=self.tol)
        if self.calibration:
            n_splits = int(min(self.cv, counts.min()))
            if n_splits < 2:
                # a rare label: calibrate on the labels that have enough examples
                n_splits = 2
            folds = StratifiedKFold(n_splits=n_splits, shuffle=True,
                                    random_state=self.random_state)
            self.calibrated_ = CalibratedClassifierCV(
                linear, method=self.calibration, cv=folds, ensemble=False)
            self.calibrated_.fit(matrix, target, sample_weight=w)
            self.linear_ = self.calibrated_.calibrated_classifiers_[0].estimator
            self.classes_ = np.asarray(self.calibrated_.classes_, dtype=object)
        else:
            self.calibrated_ = None
            self.linear_ = linear.fit(matrix, target, sample_weight=w)
            self.classes_ = np.asarray(linear.classes_, dtype=object)
        self.n_train_rows_ = int(keep.sum())
        self.n_train_combinations_ = len(table)
        self.version_ = "unversioned"
        self.ruleset_hash_ = compiled.ruleset.hash
        return self

    def _compiled(self) -> Any:
        from pv_identify.rules.compiler import compile_rules
        from pv_identify.rules.loader import load_rules

        return compile_rules(load_rules(getattr(self, "rules", "default")))

    # --- prediction -----------------------------------------------------------------

    def features(self, X: pd.DataFrame) -> FeatureSet:
        """Return the distinct feature combinations of an extract (see ``build_features``).

        Parameters
        ----------
        X : pandas.DataFrame
            The extract.

        Returns
        -------
        FeatureSet
            Distinct combinations and row codes.
        """
        return build_features(X, self.columns, self._compiled())

    def predict_proba_table(self, table: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities for rows of a feature table (distinct combinations).

        The decision values come from :meth:`decision_table` (summed part by part, as
        the streaming path sums them), the probabilities from :meth:`proba_from_decision`.

        Parameters
        ----------
        table : pandas.DataFrame
            :attr:`FeatureSet.table`.

        Returns
        -------
        numpy.ndarray of shape (len(table), len(classes_))
            Probabilities.
        """
        check_is_fitted(self, "classes_")
        out = np.zeros((len(table), len(self.classes_)))
        # rows are scored independently: batches bound the memory
        for start in range(0, len(table), SCORE_BATCH_ROWS):
            part = table.iloc[start:start + SCORE_BATCH_ROWS]
            out[start:start + len(part)] = self.proba_from_decision(self.decision_table(part))
        return out

    # --- the decision, summed part by part (shared with the streaming path) ----------

    def decision_table(self, table: pd.DataFrame) -> np.ndarray:
        """Decision values (``X @ coef_.T + intercept_``) of rows of a feature table.

        The linear decision is summed in three parts, each from zero in a fixed order,
        then added: the *slot* part (the qualification's n-gram product, then the
        ``art:``/``disp:``/``mc:`` token weights), the *context* part (all other tokens
        but the year) and the *year* part -- ``((slot + context) + year) + intercept``
        (:meth:`combine_parts`). Within a part the token weights are added one by one
        in vocabulary order (:meth:`part_decision`). A streaming run computes each part
        once per distinct slot, context and year with the same functions, so both give
        the same floats; they differ from scikit-learn's ``decision_function`` (one sum
        over all columns) only by rounding, ~1e-16.

        Parameters
        ----------
        table : pandas.DataFrame
            :attr:`FeatureSet.table` (columns ``qualification`` and ``tokens``).

        Returns
        -------
        numpy.ndarray of shape (len(table), n_outputs)
            Decision values.
        """
        check_is_fitted(self, "classes_")
        q_codes, q_uniques = pd.factorize(table["qualification"].astype(object))
        t_codes, t_uniques = pd.factorize(table["tokens"].astype(object))
        slot_ids, context_ids, year_ids = self.part_matrices(list(t_uniques))
        text = self.text_decision(list(q_uniques))
        slot = self.part_decision(slot_ids[t_codes], start=text[q_codes])
        context = self.part_decision(context_ids)
        year = self.part_decision(year_ids)
        return self.combine_parts(slot, context[t_codes], year[t_codes])

    def part_matrices(self, bags: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Token indices of each part of many token bags, as padded matrices.

        Row ``i`` of each matrix holds the sorted vocabulary indices of that part's tokens
        of ``bags[i]`` (unknown tokens ignored, repeated ones once),
        padded with ``n_tokens`` (vectorised through the token vectoriser).

        Parameters
        ----------
        bags : sequence of str
            Token bags.

        Returns
        -------
        tuple of numpy.ndarray of int64
            The :data:`SLOT`, :data:`CONTEXT` and :data:`YEAR` matrices.
        """
        check_is_fitted(self, "classes_")
        matrix = sp.csr_matrix(self.token_vectorizer_.transform(list(bags)))
        matrix.sort_indices()
        n, n_tokens = matrix.shape
        part_of = np.empty(n_tokens, dtype=np.int64)
        for token, i in self.token_vectorizer_.vocabulary_.items():
            part_of[i] = token_part(token)
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
        cols = matrix.indices.astype(np.int64)
        out = []
        for part in (SLOT, CONTEXT, YEAR):
            keep = part_of[cols] == part
            r, c = rows[keep], cols[keep]
            counts = np.bincount(r, minlength=n)
            first = np.cumsum(counts) - counts
            width = int(counts.max()) if n else 0
            ids = np.full((n, width), n_tokens, dtype=np.int64)
            ids[r, np.arange(len(r)) - first[r]] = c
            out.append(ids)
        return out[0], out[1], out[2]

    def token_ids(self, tokens: str) -> tuple[list[int], list[int], list[int]]:
        """Split one token bag into the sorted vocabulary indices of each part.

        The row of :meth:`part_matrices` for this bag without its padding (one
        implementation of the split for the in-memory and the streaming path).

        Parameters
        ----------
        tokens : str
            Space-separated tokens (unknown ones are ignored, repeated ones count
            once, as the binary token vectoriser does).

        Returns
        -------
        tuple of list of int
            Indices of the :data:`SLOT`, :data:`CONTEXT` and :data:`YEAR` tokens.
        """
        pad = len(self.token_vectorizer_.vocabulary_)
        slot, context, year = ([int(i) for i in m[0] if i != pad]
                               for m in self.part_matrices([tokens]))
        return slot, context, year

    def part_decision(self, ids: Sequence[Sequence[int]] | np.ndarray,
                      start: np.ndarray | None = None) -> np.ndarray:
        """Sum token weights per row: ``start`` (or zero), then each token in the given order.

        Parameters
        ----------
        ids : sequence of sequences of int, or numpy.ndarray
            Per row, token indices in vocabulary order (:meth:`token_ids`); a matrix
            may be padded with ``n_tokens`` (the zero row of :meth:`decision_parts`).
        start : numpy.ndarray of shape (len(ids), n_outputs), optional
            Initial values (the text product of the slot part); default zeros.

        Returns
        -------
        numpy.ndarray of shape (len(ids), n_outputs)
            The part's decision values.
        """
        _, weights, _ = self.decision_parts()
        if isinstance(ids, np.ndarray):
            matrix = ids
        else:
            width = max((len(r) for r in ids), default=0)
            matrix = np.full((len(ids), width), len(weights) - 1, dtype=np.int64)
            for i, row in enumerate(ids):
                matrix[i, :len(row)] = row
        out = (np.zeros((len(matrix), weights.shape[1])) if start is None
               else np.array(start, dtype=np.float64, copy=True))
        for column in matrix.T:
            out += weights[column]
        return out

    def combine_parts(self, slot: np.ndarray, context: np.ndarray, year: np.ndarray
                      ) -> np.ndarray:
        """Return ``((slot + context) + year) + intercept`` (see :meth:`decision_table`).

        Parameters
        ----------
        slot, context, year : numpy.ndarray of shape (n, n_outputs)
            The parts of the decision of ``n`` rows.

        Returns
        -------
        numpy.ndarray of shape (n, n_outputs)
            Decision values.
        """
        check_is_fitted(self, "classes_")
        decision = slot + context
        decision += year
        decision += self.linear_.intercept_
        return decision

    # --- scoring from precomputed parts (streaming) -----------------------------------

    def decision_parts(self) -> tuple[int, np.ndarray, np.ndarray]:
        """Return the linear model split by input block (scoring without building matrices).

        Returns
        -------
        n_text : int
            Number of text columns.
        token_weights : numpy.ndarray of shape (n_tokens + 1, n_outputs)
            Weight of each token (rows in vocabulary order; the last row is zeros,
            a padding index that adds nothing).
        intercept : numpy.ndarray of shape (n_outputs,)
            The intercept.
        """
        check_is_fitted(self, "classes_")
        coef_t = self.linear_.coef_.T
        n_text = len(self.text_vectorizer_.vocabulary_)
        tokens = np.ascontiguousarray(coef_t[n_text:])
        pad = np.zeros((1, tokens.shape[1]), dtype=tokens.dtype)
        return n_text, np.vstack([tokens, pad]), np.asarray(self.linear_.intercept_)

    def text_decision(self, texts: Sequence[str]) -> np.ndarray:
        """Products of the text block with the coefficients, one row per text.

        scipy sums every row's products in the order of its column indices from zero,
        independently of the other rows, so a text gets the same floats in any batch.

        Parameters
        ----------
        texts : sequence of str
            Normalised qualifications.

        Returns
        -------
        numpy.ndarray of shape (len(texts), n_outputs)
            Partial decision values (the start of the slot part, see :meth:`decision_table`).
        """
        check_is_fitted(self, "classes_")
        n_text = len(self.text_vectorizer_.vocabulary_)
        if not len(texts):
            return np.zeros((0, self.linear_.coef_.shape[0]))
        matrix = sp.csr_matrix(self.text_vectorizer_.transform(list(texts)))
        return np.asarray(matrix @ self.linear_.coef_.T[:n_text])

    def proba_from_decision(self, decision: np.ndarray) -> np.ndarray:
        """Return calibrated probabilities from decision values.

        What :meth:`predict_proba_table` computes after the decision function, by the
        same scikit-learn code.

        Parameters
        ----------
        decision : numpy.ndarray of shape (n, n_outputs)
            Decision values including the intercept.

        Returns
        -------
        numpy.ndarray of shape (n, len(classes_))
            Probabilities.
        """
        import copy

        check_is_fitted(self, "classes_")
        values = decision.reshape(-1) if decision.shape[1] == 1 else decision
        linear = copy.copy(self.linear_)
        linear.decision_function = lambda X: X  # type: ignore[method-assign]
        if self.calibrated_ is None:
            return linear.predict_proba(values)
        calibrated = copy.copy(self.calibrated_)
        parts = []
        for member in self.calibrated_.calibrated_classifiers_:
            clone = copy.copy(member)
            clone.estimator = linear
            parts.append(clone)
        calibrated.calibrated_classifiers_ = parts
        return calibrated.predict_proba(values)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of every label for every offence.

        Parameters
        ----------
        X : pandas.DataFrame
            The extract.

        Returns
        -------
        numpy.ndarray of shape (len(X), len(classes_))
            Probabilities; columns in the order of ``classes_``.
        """
        features = self.features(X)
        return self.predict_proba_table(features.table)[features.codes]

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Most probable label per offence.

        Parameters
        ----------
        X : pandas.DataFrame
            The extract.

        Returns
        -------
        numpy.ndarray of str
            Labels.
        """
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def partner_score(self, proba: np.ndarray) -> np.ndarray:
        """Partner-violence score: P(partner) + P(ex_partner).

        Parameters
        ----------
        proba : numpy.ndarray
            Output of :meth:`predict_proba`.

        Returns
        -------
        numpy.ndarray of float
            One score per row.
        """
        cols = [i for i, c in enumerate(self.classes_) if c in PARTNER_LABELS]
        return proba[:, cols].sum(axis=1) if cols else np.zeros(len(proba))

    # --- explanation ----------------------------------------------------------------

    def contributions(self, table_row: pd.DataFrame, label: str,
                      top: int = 8) -> list[Contribution]:
        """Features that weighed most for ``label`` (against ``none``) on one combination.

        Parameters
        ----------
        table_row : pandas.DataFrame
            One row of a feature table.
        label : str
            The label to explain.
        top : int, default 8
            How many features to return (largest absolute weight first).

        Returns
        -------
        list of Contribution
            Feature and its contribution to the log-odds of ``label`` versus ``none``
            (positive = pushes towards ``label``).
        """
        check_is_fitted(self, "classes_")
        classes = list(self.linear_.classes_)
        coef = self.linear_.coef_
        k = classes.index(label) if label in classes else None
        base = classes.index(NONE) if NONE in classes else None
        if k is None:
            return []
        direction = coef[k] - (coef[base] if base is not None and base != k else 0.0)
        if base == k:  # explaining 'none': against the strongest other label
            direction = coef[k] - np.delete(coef, k, axis=0).mean(axis=0)
        x = self._transform(table_row.iloc[:1])
        idx = x.indices
        weights = x.data * direction[idx]
        order = np.argsort(-np.abs(weights), kind="stable")[:top]
        names = self.feature_names()
        return [Contribution(str(names[idx[i]]), float(weights[i])) for i in order]
