import pytest
from spacy.tokens import Span

from kg.extract.candidates import CONFIDENCE, ENTITIES, ROLE, SOURCE
from kg.extract.tidy import Tidy, balanced, cleaned, name_of


def with_mentions(doc, *mentions):
    """Put (start, end, label, confidence) mentions on doc as the merge leaves them."""
    spans = []
    for start, end, label, confidence in mentions:
        span = Span(doc, start, end, label=label)
        span._.set(SOURCE, "model")
        span._.set(CONFIDENCE, confidence)
        span._.set(ROLE, "used")
        spans.append(span)
    doc.spans[ENTITIES] = spans
    return doc


def tidied(doc, **config):
    Tidy("tidy", **config)(doc)
    return [(s.text, s.label_) for s in doc.spans[ENTITIES]]


@pytest.mark.parametrize(
    "text, start, end, expected",
    [
        ("We use CLIP (Radford et al", 2, 7, "CLIP"),
        ("We use CLIP (Contrastive Language-Image pre-training", 2, 8, "CLIP"),
        ("We compare with SPyNet) here", 3, 5, "SPyNet"),
        ("A new (LoRA variant", 2, 5, "LoRA variant"),
        ("We use Low-Rank Adaptation (LoRA) here", 2, 9, "Low-Rank Adaptation (LoRA)"),
        ("Scores on ImageNet [12 here", 2, 5, "ImageNet"),
    ],
)
def test_unmatched_brackets_are_cut_off(nlp, text, start, end, expected):
    doc = nlp(text)
    assert balanced(doc[start:end]).text == expected


@pytest.mark.parametrize(
    "text, start, end, expected",
    [
        ("beats +12.0% and LiGO here", 1, 6, "LiGO"),
        (r"beats +12.0\% and LiGO here", 1, 6, "LiGO"),
        ("beats +20.7% here", 1, 3, None),
        ("as Hu et al. show", 1, 2, None),
        ("as Smith et al show", 1, 4, None),
        ("in O(epsilon^{-0.93}n steps", 1, 2, None),
        ("a 2-layer MLP here", 1, 5, "2-layer MLP"),
        ("on CIFAR-10 and CIFAR-100", 1, 6, "CIFAR-10 and CIFAR-100"),
    ],
)
def test_figures_authors_and_maths(nlp, text, start, end, expected):
    doc = nlp(text)
    if doc[-1].text == "here":  # the span runs to the word before "here", however it tokenizes
        end = len(doc) - 1
    span = cleaned(doc[start:end])
    assert (span.text if span is not None else None) == expected


def test_nothing_left_is_none(nlp):
    doc = nlp("see ( ) here")
    assert balanced(doc[1:2]) is None


def test_one_label_per_name_in_a_paper(paper_doc):
    doc = paper_doc("We tune LoRA adapters. LoRA beats full tuning. LoRA is cheap.")
    a, b, c = [t.i for t in doc if t.text == "LoRA"]
    # LoRA: Method twice (0.8 each), Dataset once (0.9): the summed support wins.
    with_mentions(doc, (a, a + 1, "Method", 0.8), (b, b + 1, "Dataset", 0.9),
                  (c, c + 1, "Method", 0.8))
    assert tidied(doc) == [("LoRA", "Method"), ("LoRA", "Method"), ("LoRA", "Method")]


def test_plural_and_case_count_as_the_same_name(paper_doc):
    doc = paper_doc("Graph neural networks help. A graph neural network works.")
    with_mentions(doc, (0, 3, "Method", 0.8), (6, 9, "Task", 0.5))
    assert [lab for _, lab in tidied(doc)] == ["Method", "Method"]
    assert name_of("Graph Neural Networks") == name_of("graph neural network")


def test_different_names_keep_their_labels(paper_doc):
    doc = paper_doc("We train BERT on SQuAD.")
    with_mentions(doc, (2, 3, "Method", 0.8), (4, 5, "Dataset", 0.9))
    assert tidied(doc) == [("BERT", "Method"), ("SQuAD", "Dataset")]


def test_label_vote_can_be_switched_off(paper_doc):
    doc = paper_doc("LoRA helps. LoRA is data.")
    with_mentions(doc, (0, 1, "Method", 0.8), (3, 4, "Dataset", 0.9))
    assert tidied(doc, one_label_per_name=False) == [("LoRA", "Method"), ("LoRA", "Dataset")]


def test_non_entities_are_dropped(paper_doc):
    doc = paper_doc("We tune the learning rate for downstream tasks and report accuracy.")
    with_mentions(doc, (3, 5, "Metric", 0.85), (6, 8, "Task", 0.8), (10, 11, "Metric", 0.85))
    assert tidied(doc) == [("accuracy", "Metric")]


def test_extension_values_follow_a_cut_span(paper_doc):
    doc = paper_doc("We use CLIP (Radford et al")
    with_mentions(doc, (2, 7, "Method", 0.7))
    doc.spans[ENTITIES][0]._.set(ROLE, "proposed")
    tidied(doc)
    (span,) = doc.spans[ENTITIES]
    assert (span.text, span._.get(CONFIDENCE), span._.get(ROLE)) == ("CLIP", 0.7, "proposed")


@pytest.mark.parametrize(
    "text, start, end, kept",
    [
        ("This improves generalization a lot", 2, 3, False),
        ("This improves Generalization a lot", 2, 3, False),
        ("We reduce forgetting a lot", 2, 3, False),
        ("We run ablation studies a lot", 2, 4, False),
        ("It needs no initialization a lot", 3, 4, False),
        ("It helps adaptation a lot", 2, 3, False),
        # a qualifier makes a task of it
        ("This improves domain generalization a lot", 2, 4, True),
        ("We reduce catastrophic forgetting a lot", 2, 4, True),
        ("It helps link prediction a lot", 2, 4, True),
        # no tasks, but SciREX marks them as Tasks: kept (see VAGUE_TASKS)
        ("It speeds up training a lot", 3, 4, True),
        ("It speeds up inference a lot", 3, 4, True),
    ],
)
def test_vague_task_words_are_dropped(paper_doc, text, start, end, kept):
    doc = paper_doc(text)
    with_mentions(doc, (start, end, "Task", 0.8))
    assert tidied(doc) == ([(doc[start:end].text, "Task")] if kept else [])


def test_vague_task_words_are_only_dropped_as_tasks(paper_doc):
    doc = paper_doc("We use prediction heads.")
    with_mentions(doc, (2, 3, "Method", 0.8))
    assert tidied(doc) == [("prediction", "Method")]


def test_a_dropped_name_takes_its_other_labels_with_it(paper_doc):
    # "generalization" is mostly a Task here: once voted a Task, every mention is dropped, and
    # no Metric "generalization" is left behind.
    doc = paper_doc(
        "Grokking delays generalization. We measure generalization. Generalization wins."
    )
    a, b, c = [t.i for t in doc if t.lower_ == "generalization"]
    with_mentions(doc, (a, a + 1, "Task", 0.8), (b, b + 1, "Metric", 0.85), (c, c + 1, "Task", 0.8))
    assert tidied(doc) == []
    doc = paper_doc("Grokking delays generalization. We measure generalization.")
    a, b = [t.i for t in doc if t.lower_ == "generalization"]
    with_mentions(doc, (a, a + 1, "Task", 0.8), (b, b + 1, "Metric", 0.85))
    assert tidied(doc) == [("generalization", "Metric"), ("generalization", "Metric")]
