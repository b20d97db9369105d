"""Adapters that run pv_identify inside other frameworks.

``spacy_component`` registers the ``pv_identify`` spaCy factory (entry point
``spacy_factories``); the implementation lives in :mod:`pv_identify.text`.
"""
