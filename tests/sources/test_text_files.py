"""Reading .txt files: limits, binary data, empty files, and the seeds as articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterpoint.errors import ExtractError, SourceError
from counterpoint.settings import Settings
from counterpoint.sources import load_source
from counterpoint.sources.text import decode_text, load_text_file

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
S = Settings()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file") as info:
        load_source(str(tmp_path / "nope.txt"), S)
    assert str(info.value) == f"{tmp_path / 'nope.txt'}: no such file"


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n", "\ufeff\n \n".encode()])
def test_empty_or_white_space_only(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ExtractError, match="empty article: no text"):
        load_text_file(path, S)


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",  # an image
    b"PK\x03\x04\x14\x00\x06\x00",  # a zip / docx
    b"Text mit NUL\x00 mitten drin.",
    b"Gr\xfc\xdfe aus K\xf6ln",  # Latin-1, not UTF-8
])
def test_binary_file_is_a_clear_source_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=r"^binary file, not text"):
        load_text_file(path, S)


def test_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffÜberschrift der Meldung\r\nDer erste Absatz ist hier.\r\n".encode())
    article = load_text_file(path, S)
    assert article.text == "Der erste Absatz ist hier."
    assert article.title == "Überschrift der Meldung"
    assert article.id == "bom" and article.source == str(path) and article.outlet is None


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Ein Satz.\n" * 200, encoding="utf-8")
    with pytest.raises(SourceError, match="larger than 1000 bytes"):
        load_text_file(path, S.replace(max_bytes=1000))


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="directory"):
        load_source(str(tmp_path), S)


def test_only_furniture_is_an_extract_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("Loading\nTeilen\nAnzeige\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="no article body"):
        load_text_file(path, S)


def test_decode_text_keeps_utf8() -> None:
    assert decode_text("Grüße aus Köln – „Zitat“".encode()) == "Grüße aus Köln – „Zitat“"


@pytest.mark.parametrize("name", ["000_eb1b102821afac78.txt", "003_e346abbffeafbc41.txt"])
def test_seed_as_article(name: str) -> None:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("shared/seeds not available")
    [article] = load_source(str(path), S)
    raw = path.read_text(encoding="utf-8")
    assert article.id == path.stem
    assert article.source == str(path)
    assert article.source_text == raw
    assert all(article.text[i] == raw[article.source_offset(i)] for i in range(len(article.text)))
    assert all(raw[r.start:r.end] == r.text for r in article.removed)
    assert "Loading" not in article.text.split("\n")
