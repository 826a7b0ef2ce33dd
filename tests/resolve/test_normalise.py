"""Per-mention keys: a table of names that must share a key and names that must not."""

import pytest

from kg.resolve.normalise import (canonical_form, compact, entity_key, is_generic, is_plural,
                                  singular)

# (label, surface a, surface b): same entity, same key (or same compact signature).
SAME = [
    ("Method", "FedHyper", "FEDHYPER"),
    ("Method", "FedHyper", "FedHyper's"),
    ("Method", "FedHyper", "the FedHyper framework"),
    ("Method", "LLaMA2", "Llama 2"),
    ("Method", "Llama 2", "Llama-2"),
    ("Method", "LLaMA3.1", "Llama 3.1"),
    ("Method", "ResNet50", "ResNet-50"),
    ("Method", "GPT-4o", "GPT4o"),
    ("Method", "DINOv2", "DINO v2"),
    ("Method", "LoRA", "the standard LoRA"),
    ("Method", "LoRA", "vanilla LoRA"),
    ("Method", "Transformers", "Transformer"),
    ("Method", "GANs", "GAN"),
    ("Method", "QRNNs", "QRNN"),
    ("Method", "ConvNets", "ConvNet"),
    ("Method", "the BERT model", "BERT"),
    ("Method", "CLIP-based", "CLIP"),
    ("Method", "Generative Adversarial Networks", "generative adversarial network"),
    ("Method", "Mixtures of Experts", "mixture of experts"),
    ("Method", "Contrastive Language-Image Pre-training (CLIP)", "Contrastive Language–Image Pre-training"),
    ("Method", "DeepID2 +", "DeepID2+"),
    ("Method", "SGAN)", "SGAN"),
    ("Method", "β-VAE", "beta-VAE"),
    ("Dataset", "CIFAR-10", "CIFAR10"),
    ("Dataset", "CIFAR-10", "the CIFAR-10 dataset"),
    ("Dataset", "Market-1501", "Market 1501"),
    ("Dataset", "Market-1501", "Market1501"),
    ("Dataset", "WikiText-2", "WikiText-2 datasets"),
    ("Dataset", "SQuAD", "the SQuAD benchmark"),
    ("Dataset", "MS MARCO", "MS-MARCO"),
    ("Task", "machine translation", "Machine Translation"),
    ("Task", "machine translation", "machine translation tasks"),
    ("Task", "machine translation", "neural machine translation"),
    ("Task", "speech recognition", "End-to-End Automatic Speech Recognition"),
    ("Task", "image-to-image translation", "image-to-image translations"),
    ("Task", "person re-identification", "Person Re-Identification"),
    ("Task", "person re-identification", "person re-identification databases"),
    ("Task", "multi-person pose estimation", "Multi Person Pose Estimation"),
    ("Task", "link prediction", "the link prediction problem"),
    ("Metric", "F1", "F1 score"),
    ("Metric", "BLEU", "BLEU points"),
    ("Metric", "accuracy", "recognition accuracy"),
    ("Metric", "accuracy", "face verification accuracy"),
    ("Metric", "Fréchet Inception Distance", "Frechet Inception Distance"),
    # plural acronyms key like the singular (reported as dropped: they never were at this HEAD)
    ("Method", "LLMs", "LLM"),
    ("Method", "DNNs", "DNN"),
    ("Method", "GNNs", "GNN"),
    ("Task", "LLMs", "LLM"),
    # a parenthetical inside or unclosed (the "CLIP" and "machine learning" duplicates)
    ("Method", "machine learning (ML) model", "machine learning model"),
    ("Task", "Large Language Model (LLM) finetuning", "large language model finetuning"),
    ("Method", "CLIP (Radford et al", "CLIP"),
    ("Method", "Large Language Models (LLMs", "large language models"),
    ("Method", "Convolutional neural nets", "convolutional neural networks"),
    ("Method", "the ResNet baseline", "ResNet"),
    ("Dataset", "large-scale RVL-CDIP dataset", "RVL-CDIP"),
    ("Dataset", "the challenging COCO dataset", "COCO"),
    ("Dataset", "publicly available MIMIC-III", "MIMIC-III"),
    ("Task", "SRL model", "SRL"),
    ("Task", "real-world text classification", "text classification"),
]

# Same compact signature, different readable keys: merged by the resolver, not by the key.
SAME_COMPACT = [
    ("Method", "Fast R-CNN", "Fast-RCNN"),
    ("Task", "super-resolution", "superresolution"),
    ("Task", "person re-identification", "person reidentification"),
    ("Task", "few-shot learning", "fewshot learning"),
    ("Method", "AdaGrad-Norm", "AdaGradNorm"),
]

# (label, a, b): different entities that must keep different keys and signatures.
APART = [
    ("Dataset", "CIFAR-10", "CIFAR-100"),
    ("Dataset", "CIFAR-10", "CIFAR"),
    ("Dataset", "ImageNet-1k", "ImageNet"),
    ("Dataset", "ImageNet", "ImageNet-21k"),
    ("Dataset", "ImageNet", "mini-ImageNet"),
    ("Dataset", "SQuAD 1.1", "SQuAD 2.0"),
    ("Method", "ResNet-50", "ResNet-101"),
    ("Method", "ResNet", "ResNet-50"),
    ("Method", "GPT-2", "GPT-4"),
    ("Method", "GPT-4", "GPT-4o"),
    ("Method", "GPT-3", "GPT-3.5"),
    ("Method", "Llama 2", "Llama 3"),
    ("Method", "Llama-2-7B", "Llama-27B"),
    ("Method", "LoRA", "QLoRA"),
    ("Method", "LoRA", "LoRA-XS"),
    ("Method", "LoRA", "LoRA+"),
    ("Method", "LoRA", "LoRA-SB"),
    ("Method", "BERT-base", "BERT-large"),
    ("Method", "BERT", "RoBERTa"),
    ("Method", "DINO", "DINOv2"),
    ("Method", "DeepID2", "DeepID2+"),
    ("Method", "Fast R-CNN", "R-CNN"),
    ("Method", "YOLOv3", "YOLOv5"),
    ("Method", "T5", "mT5"),
    ("Method", "language model", "language"),
    ("Method", "k-means", "k-mean"),
    ("Task", "machine translation", "unsupervised machine translation"),
    ("Task", "semantic segmentation", "instance segmentation"),
    ("Task", "visual question answering", "question answering"),
    ("Task", "sentiment analysis", "sentiment"),
    ("Metric", "top-1 accuracy", "top-5 accuracy"),
    ("Metric", "word error rate", "phoneme error rate"),
    ("Method", "LoRA variants", "LoRA"),
    ("Method", "U-Net", "U network"),
    ("Method", "ResNet", "Res network"),
    ("Task", "language model", "language"),
    ("Dataset", "Public", "P"),
]


@pytest.mark.parametrize("label,a,b", SAME)
def test_same_key(label, a, b):
    assert entity_key(label, a) == entity_key(label, b) != ""


@pytest.mark.parametrize("label,a,b", SAME_COMPACT)
def test_same_signature(label, a, b):
    ka, kb = entity_key(label, a), entity_key(label, b)
    assert ka and kb and compact(ka) == compact(kb)


@pytest.mark.parametrize("label,a,b", APART)
def test_kept_apart(label, a, b):
    ka, kb = entity_key(label, a), entity_key(label, b)
    assert ka != kb
    assert compact(ka) != compact(kb)


@pytest.mark.parametrize("label,text,key", [
    ("Method", "FedHyper", "method:fedhyper"),
    ("Dataset", "CIFAR10", "dataset:cifar-10"),
    ("Method", "LLaMA2", "method:llama-2"),
    ("Method", "Qwen2.5-7B", "method:qwen-2.5-7b"),
    ("Method", "DINOv2", "method:dino-v2"),
    ("Dataset", "Cityscapes", "dataset:cityscapes"),
    ("Dataset", "ImageNet-1k", "dataset:imagenet-1k"),
    ("Task", "machine translation", "task:machine-translation"),
    ("Metric", "F1 score", "metric:f1"),
    ("Method", "naive Bayes", "method:naive-bayes"),
    ("Method", "k-means", "method:k-means"),
    ("Task", "sentiment analysis", "task:sentiment-analysis"),
    ("Metric", "losses", "metric:loss"),
    ("Method", "transformer models", "method:transformer-model"),
    ("Method", "language models", "method:language-model"),
    ("Method", "U-Net", "method:u-net"),
    ("Dataset", "Public", "dataset:public"),
])
def test_readable_keys(label, text, key):
    assert entity_key(label, text) == key


@pytest.mark.parametrize("text", [
    "our method", "the model", "a novel framework", "this approach", "the proposed algorithm",
    "state-of-the-art methods", "existing baselines", "our framework", "the dataset",
    "several strong baselines", "it", "", "   ", "22.17", "(", "these models",
    "learning", "downstream tasks", "real-world applications",
])
def test_generic_phrases_have_no_key(text):
    assert entity_key("Method", text) == ""
    assert is_generic(text)


@pytest.mark.parametrize("text", [
    "FedHyper", "a novel hypergradient-based learning rate scheduler", "LoRA", "SGD",
    "New York Times", "self-supervised learning framework",
])
def test_names_are_not_generic(text):
    assert not is_generic(text)


@pytest.mark.parametrize("word,expected", [
    ("transformers", "transformer"), ("strategies", "strategy"), ("classes", "class"),
    ("losses", "loss"), ("approaches", "approach"), ("analyses", "analysis"),
    ("analysis", "analysis"), ("loss", "loss"), ("class", "class"), ("series", "series"),
    ("bayes", "bayes"), ("means", "means"), ("corpus", "corpus"), ("gas", "gas"),
    ("statistics", "statistics"), ("metrics", "metric"), ("databases", "database"),
])
def test_singular(word, expected):
    assert singular(word) == expected


def test_acronym_plurals_use_the_written_form():
    assert singular("gans", "GANs") == "gan"
    assert singular("llms", "LLMs") == "llm"
    assert is_plural("CNNs") and not is_plural("CNN") and not is_plural("loss")


def test_canonical_form_is_label_free():
    assert canonical_form("the LLaMA2's") == "llama-2"
    assert canonical_form("Stanford Question Answering Dataset") == "stanford-question-answering-dataset"


def test_datasets_are_not_singularised():
    assert entity_key("Dataset", "Cityscapes") != entity_key("Dataset", "Cityscape")
    assert entity_key("Dataset", "Places") == "dataset:places"


def test_entity_key_is_pure():
    assert entity_key("Method", "LoRA") == entity_key("Method", "LoRA") == "method:lora"
    assert entity_key("Task", "LoRA") == "task:lora"
