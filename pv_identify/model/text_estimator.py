"""The free-text relationship classifier: a scikit-learn estimator over raw texts.

:class:`TextRelationshipClassifier` takes texts as ``X`` (a sequence of strings, or a
2-D array / DataFrame whose cells of one row are joined into one text, such as a
qualification and its context) and predicts a class per text (on the real-text corpus:
``partner``, ``ex_partner``, ``family``, ``other``). For every distinct text it

1. runs the tagger's free-text matcher (:meth:`pv_identify.text.matcher.TextMatcher.match`:
   register terms, text patterns, possessive phrases and whatever grammar the matcher
   holds) and turns its hits, context windows and cue words into a feature document
   (:mod:`pv_identify.model.text_features`; cue words from ``rules/text/model_cues.yaml``);
2. vectorises character n-grams (``char_wb``) and word n-grams of the normalised text
   and the feature document (each block TF-IDF, L2-normalised, then weighted);
3. fits a multinomial logistic regression and calibrates its probabilities with
   ``CalibratedClassifierCV`` (``ensemble=False``: one linear model explains every
   decision; folds grouped by source when ``groups`` is passed to :meth:`fit`).

The rule hits are *features*, not labels: the model learns how far to trust them.
Estimator conventions: parameters set in ``__init__`` and stored unchanged, ``fit``
returns ``self``, fitted attributes end with ``_``, ``clone``/``get_params`` work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d
from threadpoolctl import threadpool_limits

from pv_identify.combine_text import rule_precision
from pv_identify.model.estimator import Contribution
from pv_identify.model.text_features import (
    CueMatcher,
    ModelCues,
    feature_documents,
    load_cues,
    masked_text,
)
from pv_identify.schema import text_class

#: Feature-name prefixes of the three blocks.
BLOCKS: tuple[str, ...] = ("char", "word", "feat")


def as_texts(X: Any) -> tuple[list[str], int | None]:
    """Turn ``X`` into a list of texts and its number of columns (None for 1-D).

    Parameters
    ----------
    X : sequence of str, pandas.Series, 2-D array or DataFrame
        Texts. Missing values (None, NaN) count as empty text. A 2-D input is read
        row-wise: the non-missing cells of a row are joined by a space.

    Returns
    -------
    texts : list of str
        One text per row.
    n_columns : int or None
        Columns of a 2-D input.

    Raises
    ------
    ValueError
        If ``X`` is a 1-D array of numbers (texts were expected), is empty, or has
        more than two dimensions.
    """
    if isinstance(X, pd.DataFrame):
        values = X.to_numpy(dtype=object)
    elif isinstance(X, pd.Series):
        values = X.to_numpy(dtype=object)
    elif isinstance(X, str):
        raise ValueError("X must be a sequence of texts, not one string; wrap it in a list")
    else:
        arr = np.asarray(X) if not isinstance(X, list | tuple) else None
        if arr is not None and arr.ndim == 1 and arr.dtype.kind in "biufc":
            raise ValueError(f"Expected a sequence of texts or a 2-D array, got a 1-D array "
                             f"of {arr.dtype} numbers. Reshape your data with "
                             "X.reshape(-1, 1) to treat them as text")
        if sp.issparse(X):
            raise ValueError("sparse input is not supported: pass texts")
        values = np.asarray(X, dtype=object) if arr is None else arr.astype(object)
    if values.ndim == 0 or values.ndim > 2:
        raise ValueError(f"Expected a sequence of texts or a 2-D array, got an array with "
                         f"{values.ndim} dimensions")
    if values.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={values.shape!r}) while a "
                         "minimum of 1 is required.")
    if values.ndim == 1:
        return [_cell(v) for v in values], None
    if values.shape[1] == 0:
        raise ValueError(f"0 feature(s) (shape={values.shape!r}) while a minimum of 1 is "
                         "required.")
    return [" ".join(c for c in (_cell(v) for v in row) if c) for row in values], \
        int(values.shape[1])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


class TextRelationshipClassifier(ClassifierMixin, BaseEstimator):
    """Calibrated linear classifier of the victim-offender relationship in free text.

    Parameters
    ----------
    rules : str, pathlib.Path or RuleSet, default "default"
        Register rule set of the matcher whose hits are features.
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file of the matcher (the bundled one when None).
    cues : str, pathlib.Path or None
        Cue file (temporal, separation, negation, person cues); the bundled
        ``rules/text/model_cues.yaml`` when None. Its content is stored in ``cues_``.
    C : float, default 4.0
        Inverse regularisation strength of the logistic regression.
    char_ngram_range : tuple of int or None, default (2, 5)
        Character n-gram lengths (``char_wb``) of the normalised text; None switches
        the character block off (faster: the shipped model does so to stay above
        3,000 texts/s).
    word_ngram_range : tuple of int, default (1, 2)
        Word n-gram lengths of the normalised text.
    min_df : int, default 2
        Minimum number of training texts an n-gram must occur in.
    max_features : int, default 8000
        Most frequent n-grams kept per block.
    char_weight, word_weight, feature_weight : float, default 1.0
        Weights of the three blocks (each block is L2-normalised first).
    class_weight : "balanced", dict or None, default "balanced"
        Class weights of the logistic regression.
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
        Probability calibration (None: the raw logistic-regression probabilities).
    cv : int, default 5
        Folds of the calibration (fewer when a class has fewer examples).
    max_iter : int, default 2000
        Iterations of the solver.
    random_state : int, default 0
        Seed of the calibration folds.
    masked_copies : bool, default False
        Also train on a copy of every training text with a relationship phrase, in
        which each relationship phrase the rules found is replaced by ``mask_token``
        (:func:`~pv_identify.model.text_features.masked_text`); the copy keeps the
        text's label (and its group, so calibration folds keep text and copy
        together). The model then learns the context of a relationship, not only its
        words, and can decide texts where no rule fires. The vectorisers are fitted on
        originals and copies together (so ``min_df`` and idf count a copy as a text).
    mask_token : str, default "iemand"
        Replacement of the masked phrases.

    Attributes
    ----------
    classes_ : numpy.ndarray
        Classes seen in training, in the order of the ``predict_proba`` columns.
    char_vectorizer_, word_vectorizer_, feature_vectorizer_ : TfidfVectorizer
        The three blocks.
    linear_ : sklearn.linear_model.LogisticRegression
        The linear model whose coefficients explain decisions.
    calibrated_ : sklearn.calibration.CalibratedClassifierCV or None
        The calibrated classifier (None without calibration or with too few examples).
    cues_ : dict
        The cue lists used (plain data, see :class:`ModelCues`).
    rule_precision_ : dict of str to [int, int]
        Per deciding rule on the training texts: texts it decided and how many of
        those it got right (read by the ``rules_first`` policy,
        :mod:`pv_identify.combine_text`).
    ruleset_hash_, text_rules_hash_ : str
        Hashes of the register and text rules the hit features were computed with.
    n_features_in_ : int
        Columns of a 2-D training input (absent for 1-D texts).
    n_train_texts_ : int
        Training texts.
    n_masked_copies_ : int
        Masked copies added in training (0 without ``masked_copies``).
    n_iter_ : numpy.ndarray
        Solver iterations of the linear model.
    version_ : str
        Set by persistence (``"unversioned"`` after ``fit``).
    policy_ : dict, optional
        The policy chosen for these weights (``name``) and the settings of the
        ``rules_first`` policy, chosen on the replay of the corpus history (set by
        ``examples/train_text_model.py`` with :mod:`pv_identify.model.text_replay`;
        dropped by ``fit``). A policy given by name uses the settings; no policy
        named uses the chosen one.
    stacker_ : dict, optional
        The learned combiner of the ``stacked`` policy as plain data
        (:class:`pv_identify.combine_stack.Stacker`, fitted on the replay; set by the
        training script, dropped by ``fit``).
    score_calibration_ : dict, optional
        The map of the partner-violence probability to the probability seen on unseen
        text, applied to ``pv_score`` (:class:`pv_identify.combine_score.
        ScoreCalibration`, fitted on the replay; set by the training script, dropped by
        ``fit``).
    """

    def __init__(
        self,
        rules: Any = "default",
        text_rules: Any = None,
        cues: Any = None,
        C: float = 4.0,
        char_ngram_range: tuple[int, int] = (2, 5),
        word_ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        max_features: int = 8000,
        char_weight: float = 1.0,
        word_weight: float = 1.0,
        feature_weight: float = 1.0,
        class_weight: Any = "balanced",
        calibration: str | None = "sigmoid",
        cv: int = 5,
        max_iter: int = 2000,
        random_state: int = 0,
        masked_copies: bool = False,
        mask_token: str = "iemand",
    ) -> None:
        self.rules = rules
        self.text_rules = text_rules
        self.cues = cues
        self.C = C
        self.char_ngram_range = char_ngram_range
        self.word_ngram_range = word_ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.feature_weight = feature_weight
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.max_iter = max_iter
        self.random_state = random_state
        self.masked_copies = masked_copies
        self.mask_token = mask_token

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.input_tags.allow_nan = True  # missing texts count as empty texts
        return tags

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state = dict(state)
        for cache in ("_matcher_cache", "_cue_cache", "_names_cache"):
            state.pop(cache, None)  # rebuilt from the parameters on use
        return state

    # --- the matcher ------------------------------------------------------------------

    def _matcher(self) -> Any:
        """Return the free-text matcher of ``rules``/``text_rules`` (built once per object)."""
        cached = self.__dict__.get("_matcher_cache")
        if cached is None:
            from pv_identify.rules.loader import load_rules
            from pv_identify.rules.textrules import TextRuleSet, load_text_rules
            from pv_identify.text.matcher import TextMatcher

            texts = (self.text_rules if isinstance(self.text_rules, TextRuleSet)
                     else load_text_rules(self.text_rules))
            cached = TextMatcher(load_rules(self.rules), texts)
            self.__dict__["_matcher_cache"] = cached
        return cached

    def _cue_matcher(self, compiled: Any) -> CueMatcher:
        key = ("_cue_cache", id(compiled))
        cached = self.__dict__.get("_cue_cache")
        if cached is None or cached[0] != key:
            cached = (key, CueMatcher(ModelCues.from_dict(self.cues_),
                                      compiled.normalize_qualification))
            self.__dict__["_cue_cache"] = cached
        return cached[1]

    # --- vectorising --------------------------------------------------------------------

    def _make_vectorizers(self) -> tuple[Any, TfidfVectorizer, TfidfVectorizer]:
        char = None if not self.char_ngram_range else TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.char_ngram_range), min_df=self.min_df,
            max_features=self.max_features, sublinear_tf=True, lowercase=False,
            dtype=np.float64)
        word = TfidfVectorizer(analyzer="word", ngram_range=tuple(self.word_ngram_range),
                               token_pattern=r"\S+", min_df=self.min_df,
                               max_features=self.max_features, sublinear_tf=True,
                               lowercase=False, dtype=np.float64)
        feat = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False,
                               binary=True, dtype=np.float64)
        return char, word, feat

    def feature_docs(self, matches: Sequence[Any], compiled: Any) -> list[str]:
        """Feature documents of matched texts (see :mod:`~pv_identify.model.text_features`).

        Parameters
        ----------
        matches : sequence of TextMatch
            Matched texts.
        compiled : CompiledRules
            The matcher's compiled rule set.

        Returns
        -------
        list of str
            Space-separated feature tokens per text.
        """
        cues = self._cue_matcher(compiled)
        return feature_documents(matches, compiled.rules, cues, int(self.cues_["window"]))

    def _blocks(self, matches: Sequence[Any], compiled: Any, fit: bool = False,
                docs: list[str] | None = None) -> sp.csr_matrix:
        normalized = [m.normalized for m in matches]
        if docs is None:
            docs = self.feature_docs(matches, compiled)
        parts = []
        blocks = ((self.char_vectorizer_, normalized, self.char_weight),
                  (self.word_vectorizer_, normalized, self.word_weight),
                  (self.feature_vectorizer_, docs, self.feature_weight))
        for vec, values, weight in blocks:
            if vec is None:  # a switched-off block
                continue
            if fit:
                try:
                    block = vec.fit_transform(values)
                except ValueError:  # an empty vocabulary (e.g. only empty texts)
                    vec.set_params(min_df=1)
                    block = vec.fit_transform([*values, "_"])[:len(values)]
            else:
                block = vec.transform(values)
            parts.append(sp.csr_matrix(block) * float(weight))
        return sp.hstack(parts, format="csr")

    def feature_names(self) -> np.ndarray:
        """Names of the model's input columns (``char:'...'``, ``word:'...'``, features).

        Returns
        -------
        numpy.ndarray of str
            One name per column of the vectorised matrix.
        """
        check_is_fitted(self, "classes_")
        cached = self.__dict__.get("_names_cache")
        if cached is not None and cached[0] is self.linear_:
            return cached[1]
        char = ([] if self.char_vectorizer_ is None else
                [f"char:{t!r}" for t in self.char_vectorizer_.get_feature_names_out()])
        word = [f"word:{t!r}" for t in self.word_vectorizer_.get_feature_names_out()]
        feat = list(self.feature_vectorizer_.get_feature_names_out())
        names = np.asarray(char + word + feat, dtype=object)
        self.__dict__["_names_cache"] = (self.linear_, names)
        return names

    # --- fitting ------------------------------------------------------------------------

    def fit(self, X: Any, y: Any, groups: Any = None) -> TextRelationshipClassifier:
        """Fit on texts and one class per text.

        Parameters
        ----------
        X : sequence of str, 2-D array or DataFrame
            Training texts (see :func:`as_texts`).
        y : array-like
            Class per text (on the corpus: partner, ex_partner, family, other).
        groups : array-like, optional
            Group per text (the source): calibration folds keep a group together.

        Returns
        -------
        TextRelationshipClassifier
            ``self``.

        Raises
        ------
        ValueError
            On a continuous target, a single class, or a length mismatch.
        """
        texts, n_cols = as_texts(X)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y)} labels")
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2:
            raise ValueError(f"The number of classes has to be greater than one; got "
                             f"{len(classes)} class")
        cues = load_cues(self.cues)
        self.cues_ = cues.to_dict()
        matcher = self._matcher()
        compiled = matcher.compiled
        matches = [matcher.match(t) for t in texts]
        fit_matches, groups_fit, (y_fit,), n_copies = self._training_rows(
            matcher, matches, groups, y)
        self.char_vectorizer_, self.word_vectorizer_, self.feature_vectorizer_ = \
            self._make_vectorizers()
        matrix = self._blocks(fit_matches, compiled, fit=True)
        linear = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                    max_iter=self.max_iter, random_state=self.random_state)
        n_splits = int(min(self.cv, counts.min()))
        # one BLAS thread: the problem is small and threads oversubscribe (5x slower)
        with threadpool_limits(limits=1):
            if self.calibration and n_splits >= 2:
                folds = self._folds(y_fit, groups_fit, n_splits)
                self.calibrated_ = CalibratedClassifierCV(linear, method=self.calibration,
                                                          cv=folds, ensemble=False)
                self.calibrated_.fit(matrix, y_fit)
                self.linear_ = self.calibrated_.calibrated_classifiers_[0].estimator
                self.classes_ = self.calibrated_.classes_
            else:
                self.calibrated_ = None
                self.linear_ = linear.fit(matrix, y_fit)
                self.classes_ = self.linear_.classes_
        if n_cols is not None:
            self.n_features_in_ = n_cols
        elif hasattr(self, "n_features_in_"):
            del self.n_features_in_
        self._fitted_facts(matcher, matches, y, n_copies)
        # settings of the combination policy belong to one set of weights: set them
        # again after a refit (pv_identify.model.text_policy)
        self.__dict__.pop("policy_", None)
        self.__dict__.pop("stacker_", None)
        self.__dict__.pop("score_calibration_", None)
        return self

    def _training_rows(self, matcher: Any, matches: list[Any], groups: Any,
                       *columns: np.ndarray) -> tuple[list[Any], Any, tuple[np.ndarray, ...], int]:
        """Return the rows the model is fitted on: the texts, then their masked copies.

        Returns the matches, the groups (``groups`` itself when there is no copy, so
        ungrouped folds stay ungrouped), each of ``columns`` (class, weight, ...) with a
        copy's value repeated from its text, and the number of copies.
        """
        copies = self._masked_copies(matches, matcher.compiled)
        if not copies:
            return matches, groups, columns, 0
        origin = np.asarray([i for i, _ in copies])
        base = np.arange(len(matches)) if groups is None else np.asarray(groups, dtype=object)
        return (matches + [matcher.match(t) for _, t in copies],
                np.concatenate([base, base[origin]]),
                tuple(np.concatenate([c, c[origin]]) for c in columns), len(copies))

    def _fitted_facts(self, matcher: Any, matches: Sequence[Any], y: Sequence[Any],
                      n_copies: int) -> None:
        """Set the rules' precision on ``matches`` and the facts every fit records."""
        compiled = matcher.compiled
        self.rule_precision_ = rule_precision(
            [compiled.rules[m.decision.winner.rule].id if m.decision.winner is not None else ""
             for m in matches],
            [text_class(m.decision.label) for m in matches], [str(v) for v in y])
        self.n_iter_ = self.linear_.n_iter_
        self.n_train_texts_ = len(matches)
        self.n_masked_copies_ = n_copies
        self.ruleset_hash_ = matcher.ruleset.hash
        self.text_rules_hash_ = matcher.text_rules.hash
        self.version_ = "unversioned"

    def _masked_copies(self, matches: Sequence[Any], compiled: Any) -> list[tuple[int, str]]:
        """(position, masked text) of every training text with a relationship phrase."""
        if not self.masked_copies:
            return []
        out = []
        for i, match in enumerate(matches):
            masked = masked_text(match, compiled.rules, str(self.mask_token))
            if masked is not None:
                out.append((i, masked))
        return out

    def _folds(self, y: np.ndarray, groups: Any,
               n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
        index = np.zeros((len(y), 1))
        if groups is not None:
            splitter: Any = StratifiedGroupKFold(n_splits=n_splits, shuffle=True,
                                                 random_state=self.random_state)
            splits = splitter.split(index, y, groups=np.asarray(groups))
        else:
            splitter = StratifiedKFold(n_splits=n_splits, shuffle=True,
                                       random_state=self.random_state)
            splits = splitter.split(index, y)
        return [(np.asarray(a), np.asarray(b)) for a, b in splits]

    # --- prediction ---------------------------------------------------------------------

    def _check_columns(self, n_cols: int | None) -> None:
        expected = getattr(self, "n_features_in_", None)
        if expected is not None and n_cols is not None and n_cols != expected:
            raise ValueError(f"X has {n_cols} features, but {type(self).__name__} is "
                             f"expecting {expected} features as input.")

    def transform_matches(self, matches: Sequence[Any], compiled: Any,
                          docs: list[str] | None = None) -> sp.csr_matrix:
        """Vectorise matched texts (the model's input matrix).

        Parameters
        ----------
        matches : sequence of TextMatch
            From a :class:`~pv_identify.text.matcher.TextMatcher` whose compiled rules
            are ``compiled``.
        compiled : CompiledRules
            That matcher's compiled rule set.
        docs : list of str, optional
            Their feature documents, if already computed (:meth:`feature_docs`).

        Returns
        -------
        scipy.sparse.csr_matrix
            One row per match.
        """
        check_is_fitted(self, "classes_")
        return self._blocks(matches, compiled, docs=docs)

    def predict_proba_matrix(self, matrix: sp.csr_matrix) -> np.ndarray:
        """Calibrated probabilities for rows of :meth:`transform_matches`."""
        model = self.calibrated_ if self.calibrated_ is not None else self.linear_
        if matrix.shape[0] == 0:
            return np.zeros((0, len(self.classes_)))
        return model.predict_proba(matrix)

    def predict_proba_matches(self, matches: Sequence[Any], compiled: Any) -> np.ndarray:
        """Calibrated probabilities of matched texts (the tagger's path).

        Parameters
        ----------
        matches : sequence of TextMatch
            Matched texts.
        compiled : CompiledRules
            The matcher's compiled rule set.

        Returns
        -------
        numpy.ndarray of shape (len(matches), len(classes_))
            Probabilities.
        """
        return self.predict_proba_matrix(self.transform_matches(matches, compiled))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probability of every class for every text.

        Parameters
        ----------
        X : sequence of str, 2-D array or DataFrame
            Texts (see :func:`as_texts`); each distinct text is matched once.

        Returns
        -------
        numpy.ndarray of shape (n_texts, len(classes_))
            Probabilities; columns in the order of ``classes_``.
        """
        check_is_fitted(self, "classes_")
        texts, n_cols = as_texts(X)
        self._check_columns(n_cols)
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object))
        matcher = self._matcher()
        matches = [matcher.match(t) for t in uniques]
        return self.predict_proba_matches(matches, matcher.compiled)[codes]

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class per text."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the uncalibrated linear model (for ranking; not probabilities)."""
        check_is_fitted(self, "classes_")
        texts, n_cols = as_texts(X)
        self._check_columns(n_cols)
        matcher = self._matcher()
        matrix = self.transform_matches([matcher.match(t) for t in texts], matcher.compiled)
        return self.linear_.decision_function(matrix)

    # --- explanation --------------------------------------------------------------------

    def contributions(self, row: sp.csr_matrix, label: str, top: int = 8,
                      against: str | None = None) -> list[Contribution]:
        """Features that weighed most for ``label`` on one vectorised text.

        Parameters
        ----------
        row : scipy.sparse matrix of shape (1, n_features)
            One row of :meth:`transform_matches`.
        label : str
            The class to explain.
        top : int, default 8
            How many features (largest absolute weight first).
        against : str, optional
            The class it is compared with (default: ``other`` if present, else the
            mean of the other classes).

        Returns
        -------
        list of Contribution
            Feature and its contribution to the log-odds of ``label`` versus
            ``against`` (positive pushes towards ``label``).
        """
        check_is_fitted(self, "classes_")
        classes = [str(c) for c in self.linear_.classes_]
        if label not in classes:
            return []
        coef = self.linear_.coef_
        if coef.shape[0] == 1:  # binary: one row of coefficients for classes[1]
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        k = classes.index(label)
        base = against if against is not None else ("other" if "other" in classes else None)
        if base in classes and base != label:
            direction = coef[k] - coef[classes.index(base)]
        else:
            direction = coef[k] - np.delete(coef, k, axis=0).mean(axis=0)
        row = sp.csr_matrix(row)
        idx = row.indices
        weights = row.data * direction[idx]
        order = np.argsort(-np.abs(weights), kind="stable")[:top]
        names = self.feature_names()
        return [Contribution(str(names[idx[i]]), float(weights[i])) for i in order]

