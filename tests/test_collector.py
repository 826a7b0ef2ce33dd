"""kg.collector: the garbage collector paused for a block and restored as it was."""

import gc

from kg.collector import paused


def test_paused_turns_the_collector_off_and_back_on():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_already_paused_collector_stays_off():
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_it_comes_back_when_the_block_raises():
    try:
        with paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()
