"""Connection settings: options, then KG_NEO4J_* variables, then defaults."""

from __future__ import annotations

import socket

import pytest

from kg.errors import Neo4jError
from kg.neo4j import Settings, connect


def test_defaults():
    s = Settings.from_env(env={})
    assert (s.uri, s.user, s.password, s.database, s.auth) == ("bolt://127.0.0.1:7687", "neo4j", None, None, None)


def test_environment_then_options():
    env = {"KG_NEO4J_URI": "bolt://db:7687", "KG_NEO4J_USER": "kg", "KG_NEO4J_PASSWORD": "secret",
           "KG_NEO4J_DATABASE": "papers"}
    s = Settings.from_env(env=env)
    assert (s.uri, s.user, s.database, s.auth) == ("bolt://db:7687", "kg", "papers", ("kg", "secret"))
    s = Settings.from_env(uri="bolt://other:1", user="me", database="x", env=env)
    assert (s.uri, s.user, s.database) == ("bolt://other:1", "me", "x")


def test_password_never_printed():
    assert "secret" not in repr(Settings(password="secret"))


def test_no_server_is_a_clear_error():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(Neo4jError, match="scripts/neo4j start"):
        connect(Settings(uri=f"bolt://127.0.0.1:{port}"))


def test_bad_uri_is_a_clear_error():
    with pytest.raises(Neo4jError, match="bad Neo4j URI"):
        connect(Settings(uri="http://127.0.0.1:7474"))
