import pytest

from kg.extract.code_links import CODE_LINKS, CodeLinkFinder, find_code_links


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Code: https://github.com/RaghavSinghal10/lora-sb.",
         [("https://github.com/RaghavSinghal10/lora-sb", "github.com", "RaghavSinghal10", "lora-sb")]),
        ("(https://gitlab.com/a/b.git)", [("https://gitlab.com/a/b.git", "gitlab.com", "a", "b")]),
        ("see bitbucket.org/team/repo/src/main", [("bitbucket.org/team/repo/src/main", "bitbucket.org", "team", "repo")]),
        ("data at huggingface.co/datasets/openai/gsm8k and https://huggingface.co/bert-base-uncased.",
         [("huggingface.co/datasets/openai/gsm8k", "huggingface.co", "openai", "gsm8k"),
          ("https://huggingface.co/bert-base-uncased", "huggingface.co", "", "bert-base-uncased")]),
        ("write to someone@github.com/x/y or see https://github.com/user", []),
        ("Project page: https://humanoid-getup.github.io/", []),
    ],
)
def test_find_code_links(text, expected):
    found = [(l.url, l.host, l.owner, l.name) for l in find_code_links(text)]
    assert found == expected
    for link in find_code_links(text):
        assert text[link.start:link.end] == link.url


def test_component_stores_links(nlp):
    doc = CodeLinkFinder("code_links")(nlp("Our code: https://github.com/o/n."))
    assert doc.user_data[CODE_LINKS] == [(10, 32, "https://github.com/o/n", "github.com", "o", "n")]
