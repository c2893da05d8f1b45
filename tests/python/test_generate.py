"""generate_with_energy_tracking with stand-ins shaped like Hugging Face transformers."""
import pytest

import joulebench
from conftest import TOTAL_POWER_W


class Ids:
    """A tiny stand-in for a torch tensor of token ids: .shape, row indexing, slicing."""

    def __init__(self, rows):
        self.rows = [list(row) for row in rows]
        self.shape = (len(self.rows), len(self.rows[0]))

    def __getitem__(self, index):
        return self.rows[index]


class Tokenizer:
    """Words are tokens; ids are positions in a vocabulary grown on the fly."""

    def __init__(self):
        self.vocabulary = ["<pad>"]

    def __call__(self, text, return_tensors=None):
        assert return_tensors == "pt"
        ids = []
        for word in text.split():
            if word not in self.vocabulary:
                self.vocabulary.append(word)
            ids.append(self.vocabulary.index(word))
        return {"input_ids": Ids([ids]), "attention_mask": Ids([[1] * len(ids)])}

    def decode(self, ids, skip_special_tokens=False):
        return " ".join(self.vocabulary[i] for i in ids)


class Model:
    """generate() appends `max_new_tokens` copies of token 0 ... like model.generate."""

    def __init__(self, tokenizer, as_lists=False, as_dict=False):
        tokenizer.vocabulary.append("token")
        self.token_id = len(tokenizer.vocabulary) - 1
        self.calls = []
        self.as_lists = as_lists
        self.as_dict = as_dict

    def generate(self, input_ids, attention_mask=None, max_new_tokens=20, **kwargs):
        self.calls.append({"max_new_tokens": max_new_tokens, **kwargs})
        rows = [row + [self.token_id] * max_new_tokens for row in input_ids.rows]
        output = rows if self.as_lists else Ids(rows)
        if self.as_dict:
            return type("GenerateOutput", (), {"sequences": output})()
        return output


@pytest.mark.parametrize("shape", ["tensor", "lists", "dict"])
def test_tokens_energy_and_output(monitor, shape):
    tokenizer = Tokenizer()
    model = Model(tokenizer, as_lists=shape == "lists", as_dict=shape == "dict")
    result = joulebench.generate_with_energy_tracking(
        model, tokenizer, "tell me a story", max_tokens=7, monitor=monitor, do_sample=False)
    assert result["tokens_generated"] == 7
    assert result["output"] == " ".join(["token"] * 7)
    assert result["energy_joules"] == result["result"].energy_joules
    assert result["joules_per_token"] == pytest.approx(result["energy_joules"] / 7, rel=1e-12)
    assert result["avg_power_watts"] == pytest.approx(TOTAL_POWER_W, rel=1e-9)
    # One warm-up call, not measured, with the same arguments.
    assert model.calls == [{"max_new_tokens": 7, "do_sample": False}] * 2


def test_without_warmup_generate_runs_once(monitor):
    tokenizer = Tokenizer()
    model = Model(tokenizer)
    joulebench.generate_with_energy_tracking(model, tokenizer, "hi", max_tokens=3,
                                             monitor=monitor, warmup=False)
    assert len(model.calls) == 1


def test_zero_new_tokens_has_no_joules_per_token(monitor):
    tokenizer = Tokenizer()
    model = Model(tokenizer)
    result = joulebench.generate_with_energy_tracking(model, tokenizer, "hi", max_tokens=0,
                                                      monitor=monitor)
    assert result["tokens_generated"] == 0
    assert result["energy_joules"] is not None and result["joules_per_token"] is None


def test_generation_windows_are_in_the_run_document(monitor):
    tokenizer = Tokenizer()
    model = Model(tokenizer)
    for _ in range(2):
        joulebench.generate_with_energy_tracking(model, tokenizer, "hi", max_tokens=2,
                                                 monitor=monitor)
    names = [w["name"] for w in monitor.stop().to_dict()["windows"]]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(name.startswith("generate_with_energy_tracking#") for name in names)
