import pytest

from pv_identify.model import RelationshipClassifier
from pv_identify.synth import generate


@pytest.fixture(scope="session")
def extract():
    df = generate(12000, seed=5)
    labels = df.pop("true_relationship").to_numpy()
    return df, labels


@pytest.fixture(scope="session")
def tiny_model(extract):
    df, labels = extract
    return RelationshipClassifier(max_iter=100).fit(df, labels)
