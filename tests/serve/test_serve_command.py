"""`counterpoint serve` as a user starts it: its own process on 127.0.0.1, with a token."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from counterpoint.cli import main
from counterpoint.run.ingest import ingest
from counterpoint.settings import Settings

pytest.importorskip("uvicorn")
STORY = Path(__file__).resolve().parents[1] / "data" / "stories" / "fehrsund-werft.jsonl"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_without_a_database_is_one_line_and_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("counterpoint: error:") and "no such database" in err and len(err.splitlines()) == 1


def test_serve_process_answers_only_with_the_token(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(STORY, corpus / STORY.name)
    db = tmp_path / "news.db"
    ingest([str(corpus)], Settings().replace(db=str(db), workers=1))
    port = _free_port()
    env = {**os.environ, "COUNTERPOINT_TOKEN": "s3cret-token"}
    command = [sys.executable, "-m", "counterpoint", "serve", "--db", str(db), "--port", str(port), "--read-only"]
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as server:
        try:
            _wait_for(server, base)
            assert httpx.get(base + "/api/stories", timeout=10).status_code == 401
            allowed = httpx.get(base + "/api/stories", headers={"Authorization": "Bearer s3cret-token"}, timeout=10)
            assert allowed.status_code == 200 and allowed.json()["total"] == 1
            page = httpx.get(base + "/stories?token=s3cret-token", timeout=10, follow_redirects=True)
            assert page.status_code == 200 and "Hafenwerft" in page.text  # the token became a cookie
        finally:
            server.terminate()
            server.wait(10)


def _wait_for(server: subprocess.Popen[str], base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/stories", timeout=2)
            return
        except httpx.HTTPError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server did not start: " + (server.stderr.read() if server.stderr else ""))
            time.sleep(0.2)
