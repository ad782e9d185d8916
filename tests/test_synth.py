"""The synthetic text keeps the corpus' pairs of adjacent words (archive.synth), so two-word searches meet real collocations."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from archive.synth import Generator


def test_words_follow_their_learned_successors_as_often_as_in_the_corpus() -> None:
    generator = Generator(300, seed=1)
    words = " ".join(generator.cable(number).body for number in range(300)).split()
    following = Counter(pairwise(words))
    after = Counter(first for first, _ in pairwise(words))
    # In the corpus "Minister" follows nine in ten "Prime"; drawn independently, 1 in 430.
    assert following["Prime", "Minister"] / after["Prime"] > 0.8
    assert following["human", "rights"] / after["human"] > 0.5
    # A pair the corpus never makes stays as rare as independent draws make it.
    assert following["rights", "Prime"] / after["rights"] < 0.05
