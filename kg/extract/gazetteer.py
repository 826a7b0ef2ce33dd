"""Names the rules know by heart: datasets and benchmarks, metrics, tasks, and head words.

Plain data, no spaCy: the rule components turn these into matchers. The lists were written by
hand from common ML/NLP/vision benchmarks and evaluation measures (not taken from the gold
files), so the dev scores of the rules stay an honest estimate.
"""

from __future__ import annotations

#: Named datasets and benchmarks, written as they usually appear. Matching is case-sensitive
#: (``COCO`` the dataset, not "coco" the word); variants with a size or year suffix
#: (``ImageNet-1k``, ``PASCAL VOC 2012``) are caught by the patterns in :mod:`kg.extract.datasets`.
DATASETS: tuple[str, ...] = (
    # vision
    "MNIST", "Fashion-MNIST", "EMNIST", "KMNIST", "CIFAR-10", "CIFAR-100", "CIFAR", "CIFAR10",
    "CIFAR100", "SVHN", "STL-10", "ImageNet", "ImageNet-1k", "ImageNet-1K", "ImageNet-21k",
    "ImageNet-22k", "Tiny-ImageNet", "Tiny ImageNet", "ImageNet-C", "ImageNet-R", "ImageNet-A",
    "ImageNet-Sketch", "ImageNet-V2", "COCO", "MS COCO", "MS-COCO", "MSCOCO", "PASCAL VOC",
    "Pascal VOC", "VOC", "PASCAL-Context", "Cityscapes", "ADE20K", "ADE20k", "KITTI",
    "nuScenes", "Waymo Open Dataset", "LVIS", "Objects365", "Open Images", "OpenImages",
    "CelebA", "CelebA-HQ", "FFHQ", "LSUN", "LFW", "IJB-A", "IJB-B", "IJB-C", "MegaFace",
    "VGGFace2", "MS-Celeb-1M", "CASIA-WebFace", "Market-1501", "DukeMTMC-reID", "CUHK03",
    "MSMT17", "VIPeR", "Omniglot", "miniImageNet", "mini-ImageNet", "tieredImageNet",
    "CUB-200-2011", "CUB", "Stanford Cars", "FGVC-Aircraft", "Oxford Flowers",
    "Oxford-IIIT Pets", "Caltech-101", "Caltech-256", "Places365", "SUN RGB-D",
    "NYU Depth", "NYUv2", "ScanNet", "ShapeNet", "ModelNet40", "ModelNet", "S3DIS",
    "Kinetics", "Kinetics-400", "Kinetics-600", "Kinetics-700", "UCF101", "UCF-101", "HMDB51",
    "HMDB-51", "Something-Something", "Something-Something V2", "ActivityNet", "Charades",
    "AVA", "Set5", "Set14", "BSD100", "Urban100", "Manga109", "DIV2K", "BSDS500", "Sintel",
    "FlyingChairs", "FlyingThings3D", "DAVIS", "YouTube-VOS", "VOT", "OTB", "LaSOT",
    "GOT-10k", "TrackingNet", "MOT17", "MOT16", "MPII", "Human3.6M", "3DPW", "LSP",
    "BraTS", "BRATS", "ISIC", "ChestX-ray14", "CheXpert", "MIMIC-CXR", "MIMIC-III",
    "LAION-5B", "LAION-400M", "LAION", "CC3M", "CC12M", "Conceptual Captions", "Flickr30k",
    "Flickr30K", "Flickr8k", "Visual Genome", "VQA v2", "VQAv2", "GQA", "CLEVR", "TextVQA",
    "OK-VQA", "NoCaps", "RefCOCO", "RefCOCO+", "RefCOCOg", "MSR-VTT", "MSVD", "DomainNet",
    "Office-31", "Office-Home", "VisDA", "PACS", "WILDS", "Camelyon17", "ColoredMNIST",
    "Colored MNIST", "CelebV", "Atari", "Atari 2600", "MuJoCo", "D4RL", "DeepMind Control Suite",
    "Meta-World", "Procgen", "MineRL", "Habitat", "CARLA", "VoxCeleb", "VoxCeleb1", "VoxCeleb2",
    "Voxceleb",
    # language
    "GLUE", "SuperGLUE", "SQuAD", "SQuAD 1.1", "SQuAD 2.0", "SQuAD2.0", "MS MARCO", "MSMARCO",
    "Natural Questions", "TriviaQA", "HotpotQA", "NewsQA", "RACE", "CoQA", "QuAC", "DROP",
    "BoolQ", "MultiRC", "ReCoRD", "WiC", "WSC", "COPA", "RTE", "MNLI", "MultiNLI", "SNLI",
    "QNLI", "QQP", "MRPC", "SST-2", "SST-5", "SST", "CoLA", "STS-B", "XNLI", "ANLI", "HellaSwag",
    "WinoGrande", "PIQA", "ARC", "OpenBookQA", "CommonsenseQA", "MMLU", "BIG-bench", "BBH",
    "GSM8K", "GSM8k", "MATH", "SVAMP", "AQuA", "MathQA", "HumanEval", "MBPP", "APPS",
    "CodeSearchNet", "TruthfulQA", "AlpacaEval", "MT-Bench", "Penn Treebank", "PTB",
    "WikiText-2", "WikiText-103", "WikiText", "enwik8", "text8", "One Billion Word",
    "LAMBADA", "BookCorpus", "C4", "The Pile", "OpenWebText", "CNN/DailyMail",
    "CNN/Daily Mail", "XSum", "Gigaword", "DUC", "WMT", "WMT14", "WMT16", "WMT'14", "IWSLT",
    "CoNLL-2003", "CoNLL 2003", "CoNLL", "OntoNotes", "OntoNotes 5.0", "ACE 2005", "ACE05",
    "ACE2005", "TACRED", "SemEval", "FewRel", "DocRED", "SciERC", "SciREX", "CSAbstruct",
    "PubMed", "PubMedQA", "BioASQ", "MedQA", "IMDB", "IMDb", "Yelp", "AG News", "DBpedia",
    "Amazon Reviews", "20 Newsgroups", "Reuters", "TREC", "MultiWOZ", "WoZ", "DSTC",
    "Ubuntu Dialogue Corpus", "PersonaChat", "Wizard of Wikipedia", "WikiSQL", "Spider",
    "WebQuestions", "WebQuestionsSP", "ComplexWebQuestions", "FB15k", "FB15k-237", "WN18",
    "WN18RR", "YAGO3-10", "Freebase", "Wikidata", "WordNet", "LibriSpeech", "Librispeech",
    "TIMIT", "Switchboard", "WSJ", "CommonVoice", "Common Voice", "AudioSet", "ESC-50",
    "VCTK", "LJSpeech", "AISHELL-1",
    # graphs, recsys, tabular
    "Cora", "Citeseer", "CiteSeer", "Pubmed", "ogbn-arxiv", "ogbn-products", "OGB",
    "Reddit", "PPI", "QM9", "ZINC", "MovieLens", "MovieLens-1M", "Netflix Prize", "Criteo",
    "UCI",
)

#: Evaluation measures, matched case-insensitively on whole words (``F1``, ``F1 score``).
METRICS: tuple[str, ...] = (
    "accuracy", "top-1 accuracy", "top-5 accuracy", "top-1 error", "top-5 error",
    "classification accuracy", "test accuracy", "error rate", "word error rate", "WER",
    "character error rate", "CER", "phoneme error rate", "PER", "precision", "recall",
    "F1", "F1 score", "F1-score", "F-score", "F-measure", "F1 measure", "macro F1", "micro F1",
    "exact match", "EM", "BLEU", "BLEU score", "ROUGE", "ROUGE-1", "ROUGE-2", "ROUGE-L",
    "METEOR", "CIDEr", "SPICE", "chrF", "TER", "BERTScore", "perplexity", "bits per character",
    "BPC", "mAP", "mean average precision", "average precision", "AP", "AUC", "ROC AUC",
    "AUROC", "AUPRC", "IoU", "mIoU", "mean IoU", "Dice", "Dice score", "Dice coefficient",
    "PSNR", "SSIM", "LPIPS", "FID", "Inception Score", "IS", "MRR", "mean reciprocal rank",
    "Hits@1", "Hits@10", "NDCG", "nDCG", "Recall@K", "Recall@1", "Recall@10", "MAE", "MSE",
    "RMSE", "mean squared error", "mean absolute error", "EER", "equal error rate",
    "Pearson correlation", "Spearman correlation", "MOTA", "throughput", "latency",
    "inference time", "FLOPs", "success rate", "pass@1", "pass@k", "win rate",
    "joint goal accuracy", "UAS", "LAS", "negative log-likelihood", "log-likelihood",
)

#: Tasks, matched case-insensitively on whole words.
TASKS: tuple[str, ...] = (
    "image classification", "object detection", "semantic segmentation", "instance segmentation",
    "panoptic segmentation", "image segmentation", "medical image segmentation",
    "pose estimation", "human pose estimation", "depth estimation", "optical flow estimation",
    "optical flow", "visual tracking", "object tracking", "multi-object tracking",
    "action recognition", "video classification", "image captioning", "video captioning",
    "visual question answering", "VQA", "image generation", "text-to-image generation",
    "image synthesis", "super-resolution", "image super-resolution", "image denoising",
    "image restoration", "inpainting", "image inpainting", "style transfer",
    "person re-identification", "re-identification", "face recognition", "face verification",
    "face detection", "speaker verification", "speaker recognition", "speech recognition",
    "automatic speech recognition", "ASR", "speech synthesis", "text-to-speech", "TTS",
    "machine translation", "neural machine translation", "NMT", "language modeling",
    "language modelling", "question answering", "open-domain question answering",
    "reading comprehension", "machine reading comprehension", "natural language inference",
    "NLI", "textual entailment", "sentiment analysis", "sentiment classification",
    "text classification", "named entity recognition", "NER", "relation extraction",
    "entity linking", "coreference resolution", "semantic role labeling", "SRL",
    "dependency parsing", "constituency parsing", "parsing", "part-of-speech tagging",
    "POS tagging", "word sense disambiguation", "summarization", "text summarization",
    "abstractive summarization", "extractive summarization", "dialogue generation",
    "dialogue state tracking", "information retrieval", "information extraction",
    "text generation", "code generation", "program synthesis", "mathematical reasoning",
    "commonsense reasoning", "link prediction", "node classification", "graph classification",
    "knowledge graph completion", "recommendation", "anomaly detection", "outlier detection",
    "out-of-distribution detection", "OOD detection", "domain adaptation", "domain generalization",
    "few-shot learning", "few-shot classification", "zero-shot learning", "continual learning",
    "federated learning", "reinforcement learning", "imitation learning", "representation learning",
    "self-supervised learning", "semi-supervised learning", "unsupervised learning",
    "transfer learning", "meta-learning", "active learning", "hyperparameter optimization",
    "neural architecture search", "model compression", "knowledge distillation",
    "time series forecasting", "forecasting", "clustering", "classification", "regression",
    "image retrieval", "cross-modal retrieval", "text-to-video retrieval", "visual grounding",
    "3D reconstruction", "novel view synthesis", "point cloud classification",
    "autonomous driving", "robot manipulation", "navigation",
)

#: Last words of a long form that say what kind of thing it names (acronym definitions).
METHOD_HEADS = frozenset(
    "network networks model models algorithm algorithms method methods framework architecture "
    "transformer transformers encoder decoder autoencoder machine machines learning approach "
    "technique mechanism module layer layers optimizer optimization descent regression "
    "classifier estimator sampling attention embedding embeddings tree trees field fields "
    "process search policy strategy scheme system loss pretraining pre-training training "
    "distillation adaptation regularization normalization decomposition analysis filter "
    "kernel memory units unit gan gans net".split()
)
DATASET_HEADS = frozenset("dataset datasets corpus corpora benchmark benchmarks treebank suite".split())
TASK_HEADS = frozenset(
    "recognition classification detection segmentation translation answering parsing tagging "
    "generation summarization retrieval extraction estimation tracking inference prediction "
    "captioning understanding reasoning synthesis labeling labelling disambiguation "
    "identification verification forecasting completion resolution".split()
)
METRIC_HEADS = frozenset(
    "error accuracy score rate precision recall measure metric distance divergence "
    "correlation ratio perplexity".split()
)

#: Head nouns that follow a named dataset ("the Voxceleb dataset").
DATASET_NOUNS = ("dataset", "datasets", "corpus", "benchmark", "benchmarks", "data set",
                 "database", "treebank", "challenge", "test set", "test sets")


def head_label(words: list[str]) -> str | None:
    """Guess Method/Dataset/Task/Metric from the last word of a multi-word name, or None."""
    if not words:
        return None
    head = words[-1].lower()
    for label, heads in (
        ("Dataset", DATASET_HEADS),
        ("Metric", METRIC_HEADS),
        ("Task", TASK_HEADS),
        ("Method", METHOD_HEADS),
    ):
        if head in heads:
            return label
    return None
