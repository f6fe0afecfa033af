"""The command line as a user meets it: demo, compare, output files, and bad input."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from counterpoint.cli import main
from counterpoint.schema import validate_comparison


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/article.txt":
            body = "Die Stadt hat am Montag eine neue Brücke über den Fluss eröffnet.\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65533
            try:
                for _ in range(800):  # 50 MB if nobody stops reading
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_demo_prints_a_summary(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "3 articles compared" in out and "Shared statements" in out


def test_demo_json_is_valid_and_crosses_languages(capsys):
    assert main(["demo", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    validate_comparison(doc)
    langs = {a["id"]: a["language"] for a in doc["articles"]}
    assert sorted(langs.values()) == ["de", "de", "en"]
    cross = [s for s in doc["statements"] if s["status"] == "shared"
             and {langs[m["article"]] for m in s["mentions"]} == {"de", "en"}]
    # the mayor's quote, worded three ways, is one statement
    quote = [s for s in cross if any("Kinder" in m["text"] for m in s["mentions"])
             and any("children" in m["text"] for m in s["mentions"])]
    assert quote
    # the felled trees are reported by one outlet only
    trees = [s for s in doc["statements"] if any("Bäume" in m["text"] for m in s["mentions"])]
    assert trees and all(s["status"] == "unique" for s in trees)
    reasons = {r["reason"] for r in doc["removed"]}
    assert {"caption", "furniture"} <= reasons


def test_compare_writes_html_and_json(tmp_path, seeds, capsys):
    html, js = tmp_path / "report.html", tmp_path / "result.json"
    assert main(["compare", *seeds, "--out", str(html)]) == 0
    assert main(["compare", *seeds, "--out", str(js)]) == 0
    page = html.read_text()
    assert page.startswith("<!doctype html>") and 'class="stmt shared' in page and "stmt unique" in page
    assert "<script src=" not in page and "<link " not in page  # self-contained
    validate_comparison(json.loads(js.read_text()))


def _run_error(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


BAD_FILES = {
    "missing.txt": (None, "no such file"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\t\n", "empty"),
    "binary.txt": (bytes(range(256)) * 10, "binary"),
    "nobody.html": (b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
                    "no article body"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_one_line_and_nonzero(tmp_path, capsys, name):
    content, message = BAD_FILES[name]
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Die Regierung hat am Montag ein neues Gesetz beschlossen.\n")
    code, err = _run_error(capsys, ["compare", str(bad), str(good)])
    assert code != 0
    assert message in err.lower()
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2  # the skipped input, then the error


@pytest.mark.parametrize(("path", "message"), [("/nothing", "404"), ("/huge", "larger than")])
def test_bad_url_is_reported(server, tmp_path, capsys, seeds, path, message):
    code = main(["compare", *seeds, server + path, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0  # two usable inputs remain
    doc = json.loads(captured.out)
    assert len(doc["articles"]) == 2
    assert len(doc["dropped"]) == 1 and message in doc["dropped"][0]["reason"]
    assert message in captured.err and "Traceback" not in captured.err


def test_unreachable_url(capsys, seeds):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    code, err = _run_error(capsys, ["compare", seeds[0], f"http://127.0.0.1:{port}/a"])
    assert code != 0 and "cannot connect" in err and "Traceback" not in err


def test_url_input_is_compared(server, seeds, capsys):
    assert main(["compare", seeds[0], server + "/article.txt", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["articles"][1]["url"] == server + "/article.txt"


def test_usage_errors_are_one_line(capsys, seeds):
    code, err = _run_error(capsys, ["compare", *seeds, "--format", "yaml"])
    assert code != 0 and "--format" in err and "Traceback" not in err
    code, err = _run_error(capsys, ["compare", *seeds, "--out", "report.pdf"])
    assert code != 0 and "--out" in err
    code, err = _run_error(capsys, ["compare", *seeds, "--embedder", "gpt"])
    assert code != 0 and "embedder" in err
